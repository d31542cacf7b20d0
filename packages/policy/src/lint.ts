import * as path from 'node:path';
import { fileSystemSource, policyDirs } from '@data-mesh/spec/core';
import { CODES, diagnostic, type Diagnostic } from './diagnostics';
import { parseOpaErrors } from './opa-test';
import { requireTool, run } from './tools';

export interface PolicyLintReport {
  readonly diagnostics: readonly Diagnostic[];
  readonly commands: readonly (readonly string[])[];
}

/**
 * Static checks of the policy folders: `opa check --strict` (MESH303), `opa fmt --list --fail`
 * (MESH308) and `regal lint` with the repository's .regal/config.yaml (MESH309).
 * Throws ToolMissingError when opa or regal is not installed.
 */
export async function lintPolicies(root: string, options: { dirs?: readonly string[] } = {}): Promise<PolicyLintReport> {
  const opa = await requireTool(root, 'opa');
  const regal = await requireTool(root, 'regal');
  const dirs = [...(options.dirs ?? policyDirs(fileSystemSource(root)))];
  const diagnostics: Diagnostic[] = [];
  const commands: string[][] = [];

  const check = ['check', '--strict', ...dirs];
  commands.push(check);
  const c = await run(opa, check, { cwd: root });
  if (c.code !== 0) diagnostics.push(...parseOpaErrors(root, c.stderr || c.stdout));

  const fmt = ['fmt', '--list', '--fail', ...dirs];
  commands.push(fmt);
  const f = await run(opa, fmt, { cwd: root });
  if (f.code !== 0) {
    const files = f.stdout.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.rego'));
    for (const file of files) {
      diagnostics.push(diagnostic('error', CODES.format, `${file} is not formatted as opa fmt writes it`, rel(root, file), 1, 1, `opa fmt -w ${file}`));
    }
    if (files.length === 0) diagnostics.push(...parseOpaErrors(root, f.stderr || f.stdout, CODES.format));
  }

  const lint = ['lint', '--format', 'json', ...dirs];
  commands.push(lint);
  const l = await run(regal, lint, { cwd: root });
  try {
    const report = JSON.parse(l.stdout) as {
      violations?: { title: string; description: string; category: string; level: string; location: { file: string; row: number; col: number }; related_resources?: { ref: string }[] }[];
    };
    for (const v of report.violations ?? []) {
      diagnostics.push(
        diagnostic(
          v.level === 'warning' ? 'warning' : 'error',
          CODES.lint,
          `regal ${v.category}/${v.title}: ${v.description}`,
          rel(root, v.location.file),
          v.location.row,
          v.location.col,
          v.related_resources?.[0]?.ref,
        ),
      );
    }
  } catch {
    if (l.code !== 0) diagnostics.push(...parseOpaErrors(root, l.stderr || l.stdout, CODES.lint));
  }
  return { diagnostics, commands };
}

function rel(root: string, file: string): string {
  return path.relative(root, path.isAbsolute(file) ? file : path.join(root, file)).split(path.sep).join('/');
}
