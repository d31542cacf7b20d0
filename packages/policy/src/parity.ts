import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileSystemSource, policyDirs } from '@data-mesh/spec/core';
import { buildPolicyData, type PolicyData } from './data';
import { CODES, diagnostic, type Diagnostic } from './diagnostics';
import { generateAccessRequests } from './generate';
import type { MeshLike } from './mesh-input';
import { requireTool, run } from './tools';
import { CompiledPolicy, ENTRYPOINTS, buildPolicyWasm } from './wasm';
import { loadPolicyMesh } from './workspace';

export interface ParityReport {
  readonly compared: number;
  readonly mismatches: readonly { readonly input: unknown; readonly wasm: unknown; readonly opa: unknown }[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Evaluates inputs through the compiled wasm (in-process) and through `opa eval` (the Go
 * evaluator; one process, `with input as` each input) and reports every disagreement as
 * MESH340. Default inputs: `count` generated access requests over the mesh's policy data.
 */
export async function checkParity(
  root: string,
  options: { mesh?: MeshLike; data?: PolicyData; inputs?: readonly unknown[]; count?: number; seed?: number; entrypoint?: string } = {},
): Promise<ParityReport> {
  const opa = await requireTool(root, 'opa');
  const data = options.data ?? buildPolicyData(root, options.mesh ?? loadPolicyMesh(root)).data;
  const entrypoint = options.entrypoint ?? ENTRYPOINTS.decision;
  const inputs = options.inputs ?? generateAccessRequests(data, options.count ?? 400, options.seed ?? 20261126);
  const build = await buildPolicyWasm(root);
  if (!build.wasm) return { compared: 0, mismatches: [], diagnostics: build.diagnostics };
  const compiled = await CompiledPolicy.load(build.wasm, data);
  const viaWasm = inputs.map((input) => compiled.evaluate(input, entrypoint));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-parity-'));
  try {
    fs.writeFileSync(path.join(tmp, 'data.json'), JSON.stringify(data));
    fs.writeFileSync(path.join(tmp, 'inputs.json'), JSON.stringify(inputs));
    const ref = `data.${entrypoint.replace(/\//g, '.')}`;
    // object.get keeps an undefined decision visible as a marker instead of dropping the row
    const query = `[r | some x in input; r := object.get({"v": ${ref}}, "v", "__undefined__") with input as x]`;
    const args = ['eval', '--format', 'json', ...policyDirs(fileSystemSource(root)).flatMap((d) => ['-d', d]), '-d', path.join(tmp, 'data.json'), '-i', path.join(tmp, 'inputs.json'), query];
    const r = await run(opa, args, { cwd: root });
    let viaOpa: unknown[];
    try {
      const out = JSON.parse(r.stdout) as { result: { expressions: { value: unknown[] }[] }[] };
      viaOpa = out.result[0]!.expressions[0]!.value.map((v) => (v === '__undefined__' ? undefined : v));
    } catch {
      return { compared: 0, mismatches: [], diagnostics: [diagnostic('error', CODES.opaFailure, `opa eval failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`, '.', 1, 1)] };
    }
    const mismatches: { input: unknown; wasm: unknown; opa: unknown }[] = [];
    for (let i = 0; i < inputs.length; i++) {
      if (!isDeepStrictEqual(viaWasm[i], viaOpa[i])) mismatches.push({ input: inputs[i], wasm: viaWasm[i], opa: viaOpa[i] });
    }
    const diagnostics = mismatches.slice(0, 20).map((m) =>
      diagnostic(
        'error',
        CODES.parityMismatch,
        `wasm and opa eval disagree on ${entrypoint} for input ${JSON.stringify(m.input)}: wasm ${JSON.stringify(m.wasm)}, opa eval ${JSON.stringify(m.opa)}`,
        'governance/policies',
        1,
        1,
        'a builtin or number that behaves differently in the wasm runtime; see WASM_BUILTINS in packages/policy/src/wasm.ts',
      ),
    );
    return { compared: inputs.length, mismatches, diagnostics };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
