import * as path from 'node:path';
import { fileSystemSource, policyDirs } from '@data-mesh/spec/core';
import { CODES, diagnostic, type Diagnostic, type PolicyCode } from './diagnostics';
import type { MeshLike } from './mesh-input';
import { requireTool, run } from './tools';
import { writeDataDir } from './workspace';

export interface RegoTestResult {
  readonly package: string;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly passed: boolean;
  readonly skipped: boolean;
  readonly error?: string;
  /** What the test printed (print()), decoded. */
  readonly output?: string;
  readonly durationNs: number;
}

export interface PolicyTestReport {
  readonly results: readonly RegoTestResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Percent of Rego lines covered; undefined when coverage was not measured (or tests failed). */
  readonly coverage?: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The opa command lines that ran (argument arrays). */
  readonly commands: readonly (readonly string[])[];
}

export interface PolicyTestOptions {
  /** Measure coverage with a second `opa test --coverage` run (default true). */
  readonly coverage?: boolean;
  /** Coverage below this percent is an error diagnostic (default 90). */
  readonly coverageThreshold?: number;
  /** The mesh to generate policy data from (default: loadMesh(root)). */
  readonly mesh?: MeshLike;
  /** Policy folders relative to root (default: governance/policies and domains/<d>/policies). */
  readonly dirs?: readonly string[];
}

interface OpaTestJson {
  location?: { file?: string; row?: number; col?: number };
  package?: string;
  name?: string;
  fail?: boolean;
  skip?: boolean;
  error?: { code?: string; message?: string } | string;
  duration?: number;
  output?: string;
}

/** Turns opa's loading/compile errors (stderr text) into diagnostics at file:line. */
export function parseOpaErrors(root: string, text: string, code: PolicyCode = CODES.policyCompile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const re = /(?:^|\n|: )([^\s:]+\.rego):(\d+)(?::(\d+))?: ([^\n]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    diagnostics.push(diagnostic('error', code, m[4] as string, relative(root, m[1] as string), Number(m[2]), m[3] ? Number(m[3]) : 1));
  }
  if (diagnostics.length === 0) {
    const said = text.trim() === '' ? 'opa failed without a message' : `opa: ${text.trim().split('\n').slice(0, 5).join(' ')}`;
    diagnostics.push(diagnostic('error', CODES.opaFailure, said, '.', 1, 1));
  }
  return diagnostics;
}

function relative(root: string, file: string): string {
  const abs = path.isAbsolute(file) ? file : path.join(root, file);
  return path.relative(root, abs).split(path.sep).join('/');
}

/**
 * `mesh policy test`: runs the real `opa test` on governance/policies and domains/<d>/policies
 * with the policy data generated from the mesh, and turns failures into diagnostics at the
 * test's file and line (MESH301 failed, MESH302 error, MESH303 does not compile, MESH304
 * coverage). Throws ToolMissingError when opa is not installed.
 */
export async function runPolicyTests(root: string, options: PolicyTestOptions = {}): Promise<PolicyTestReport> {
  const opa = await requireTool(root, 'opa');
  const dirs = options.dirs ?? policyDirs(fileSystemSource(root));
  const dataDir = writeDataDir(root, options.mesh);
  const commands: string[][] = [];
  const diagnostics: Diagnostic[] = [...dataDir.diagnostics];
  try {
    const paths = [...dirs, dataDir.dir];
    const args = ['test', '--format', 'json', ...paths];
    commands.push(args);
    const r = await run(opa, args, { cwd: root });
    let parsed: OpaTestJson[] | undefined;
    if (r.stdout.trim().startsWith('[')) {
      try {
        parsed = JSON.parse(r.stdout) as OpaTestJson[];
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed) {
      diagnostics.push(...parseOpaErrors(root, `${r.stderr}\n${r.stdout}`));
      return { results: [], passed: 0, failed: 0, skipped: 0, diagnostics, commands };
    }
    const results = parsed.map((t) => toResult(root, t));
    for (const t of results) {
      if (t.passed || t.skipped) continue;
      const printed = t.output ? `: ${t.output.trim().split('\n').join('; ')}` : '';
      const name = `${t.package.replace(/^data\./, '')}.${t.name}`;
      if (t.error) {
        diagnostics.push(diagnostic('error', CODES.testError, `Rego test ${name} raised an error: ${t.error}${printed}`, t.file, t.line, 1));
      } else {
        diagnostics.push(
          diagnostic('error', CODES.testFailed, `Rego test ${name} failed${printed}`, t.file, t.line, 1, `opa test ${dirs.join(' ')} --run '${t.name}' -v`),
        );
      }
    }
    const passed = results.filter((t) => t.passed).length;
    const skipped = results.filter((t) => t.skipped).length;
    const failed = results.length - passed - skipped;
    let coverage: number | undefined;
    if (failed === 0 && options.coverage !== false) {
      const cargs = ['test', '--coverage', '--format', 'json', ...paths];
      commands.push(cargs);
      const c = await run(opa, cargs, { cwd: root });
      try {
        coverage = (JSON.parse(c.stdout) as { coverage?: number }).coverage ?? 0;
      } catch {
        diagnostics.push(...parseOpaErrors(root, `${c.stderr}\n${c.stdout}`, CODES.opaFailure));
      }
      const threshold = options.coverageThreshold ?? 90;
      if (coverage !== undefined && coverage < threshold) {
        diagnostics.push(
          diagnostic(
            'error',
            CODES.coverage,
            `Rego test coverage is ${coverage.toFixed(1)}%, below the ${threshold}% threshold`,
            dirs[0] ?? '.',
            1,
            1,
            `opa test --coverage ${dirs.join(' ')} shows the uncovered lines`,
          ),
        );
      }
    }
    return { results, passed, failed, skipped, ...(coverage !== undefined ? { coverage } : {}), diagnostics, commands };
  } finally {
    dataDir.dispose();
  }
}

function toResult(root: string, t: OpaTestJson): RegoTestResult {
  const error = typeof t.error === 'string' ? t.error : t.error?.message;
  const output = t.output ? Buffer.from(t.output, 'base64').toString('utf8') : undefined;
  return {
    package: t.package ?? '',
    name: t.name ?? '',
    file: relative(root, t.location?.file ?? '.'),
    line: t.location?.row ?? 1,
    passed: !t.fail && !t.skip && !error,
    skipped: t.skip === true,
    ...(error ? { error } : {}),
    ...(output ? { output } : {}),
    durationNs: t.duration ?? 0,
  };
}
