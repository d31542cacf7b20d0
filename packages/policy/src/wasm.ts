import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as opaWasm from '@open-policy-agent/opa-wasm';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { fileSystemSource, policyDirs, regoFiles } from '@data-mesh/spec/core';
import { buildPolicyData, type PolicyData } from './data';
import { CODES, diagnostic, type Diagnostic } from './diagnostics';
import type { MeshLike } from './mesh-input';
import { parseOpaErrors } from './opa-test';
import { requireTool, run, runSync } from './tools';
import { loadPolicyMesh } from './workspace';

const DEFAULT_MEMORY_PAGES = 5;
// opa-wasm's ES module entry exports only loadPolicy by name (its default export holds the rest);
// its CommonJS entry exports all by name.
const { loadPolicySync } = (opaWasm as typeof opaWasm & { default?: typeof opaWasm }).default ?? opaWasm;

/** Reads a LEB128 unsigned integer; returns it and the offset after it. */
function readUnsigned(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++];
    if (byte === undefined) throw new RangeError('truncated wasm module');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, offset];
    shift += 7;
  }
}

const PAGE_BYTES = 65_536;

/**
 * The pages of memory a wasm module needs at instantiation: the minimum its memory import
 * declares, and enough to hold its data segments (for a large data document the module
 * declares less than its data needs).
 */
export function requiredMemoryPages(wasm: Uint8Array): number | undefined {
  try {
    let declared = 0;
    let dataEnd = 0;
    let offset = 8; // magic and version
    while (offset < wasm.length) {
      const id = wasm[offset++];
      const [size, start] = readUnsigned(wasm, offset);
      offset = start + size;
      if (id === 2) declared = importedMemoryMinimum(wasm, start) ?? declared;
      if (id === 11) dataEnd = dataSegmentsEnd(wasm, start);
    }
    return Math.max(declared, Math.ceil(dataEnd / PAGE_BYTES) + 1);
  } catch {
    return undefined;
  }
}

function importedMemoryMinimum(wasm: Uint8Array, section: number): number | undefined {
  let [count, at] = readUnsigned(wasm, section);
  while (count-- > 0) {
    for (let name = 0; name < 2; name++) {
      const [length, next] = readUnsigned(wasm, at);
      at = next + length;
    }
    const kind = wasm[at++];
    if (kind === 0) [, at] = readUnsigned(wasm, at);
    else if (kind === 1) {
      at++; // reference type
      const flags = wasm[at++]!;
      [, at] = readUnsigned(wasm, at);
      if (flags & 1) [, at] = readUnsigned(wasm, at);
    } else if (kind === 2) {
      at++; // limits flags
      return readUnsigned(wasm, at)[0];
    } else at += 2; // global: value type and mutability
  }
  return undefined;
}

/** The highest byte the active data segments write (offsets given as i32.const). */
function dataSegmentsEnd(wasm: Uint8Array, section: number): number {
  let [count, at] = readUnsigned(wasm, section);
  let end = 0;
  while (count-- > 0) {
    const [flags, next] = readUnsigned(wasm, at);
    at = next;
    let start = 0;
    if (flags !== 1) {
      if (flags === 2) [, at] = readUnsigned(wasm, at); // memory index
      if (wasm[at++] !== 0x41) throw new RangeError('unsupported data segment offset');
      [start, at] = readUnsigned(wasm, at); // i32.const (offsets here are non-negative)
      at++; // end
    }
    const [length, bytes] = readUnsigned(wasm, at);
    at = bytes + length;
    if (flags !== 1) end = Math.max(end, start + length);
  }
  return end;
}

/** The decisions compiled into the wasm module (`opa build -e`). */
export const ENTRYPOINTS = {
  /** Query-time access: `{allow, reasons}`. */
  decision: 'data_mesh/governance/decision',
  /** Query-time access, the boolean alone. */
  allow: 'data_mesh/governance/allow',
  /** Publish-time standards for one spec: sorted findings. */
  standards: 'data_mesh/standards/report',
} as const;

export const DEFAULT_ENTRYPOINT = ENTRYPOINTS.decision;

/**
 * Builtins the wasm runtime implements natively, from OPA v1.22.3's
 * internal/compiler/wasm/wasm.go (builtinsFunctions), plus the operators the planner
 * compiles itself. Builtins the npm SDK supplies in JavaScript (sprintf via sprintf-js,
 * regex.split, yaml.*) are left out on purpose: their results can differ from OPA's
 * (sprintf formats big numbers, arrays and objects differently), and a decision must not
 * depend on which evaluator ran it. time.* is absent in wasm (no clock): the policies take
 * input.now_ns.
 */
export const WASM_BUILTINS: readonly string[] = [
  'eq', 'assign', 'internal.member_2', 'internal.member_3', 'internal.template_string',
  'plus', 'minus', 'mul', 'div', 'abs', 'round', 'ceil', 'floor', 'rem',
  'array.concat', 'array.flatten', 'array.reverse', 'array.slice',
  'set_diff', 'and', 'or', 'intersection', 'union',
  'is_number', 'is_string', 'is_boolean', 'is_array', 'is_set', 'is_object', 'is_null', 'type_name',
  'bits.or', 'bits.and', 'bits.negate', 'bits.xor', 'bits.lsh', 'bits.rsh',
  'count', 'sum', 'product', 'max', 'min', 'sort', 'all', 'any',
  'base64.is_valid', 'base64.decode', 'base64.encode', 'base64url.encode', 'base64url.decode',
  'net.cidr_contains', 'net.cidr_overlap', 'net.cidr_intersects',
  'equal', 'gt', 'gte', 'lt', 'lte', 'neq', 'glob.match',
  'json.marshal', 'json.unmarshal', 'json.is_valid', 'json.remove', 'json.filter',
  'object.filter', 'object.get', 'object.keys', 'object.remove', 'object.union', 'object.union_n',
  'concat', 'format_int', 'indexof', 'substring', 'lower', 'upper', 'contains', 'startswith', 'endswith',
  'strings.reverse', 'split', 'replace', 'strings.replace_n',
  'trim', 'trim_left', 'trim_prefix', 'trim_right', 'trim_suffix', 'trim_space',
  'numbers.range', 'to_number', 'walk', 'graph.reachable',
  'regex.is_valid', 'regex.match', 're_match', 'regex.find_all_string_submatch_n',
];

interface Capabilities {
  builtins: { name: string }[];
  features?: string[];
  [key: string]: unknown;
}

/**
 * The capabilities file for `opa build -t wasm`: opa's own capabilities narrowed to
 * WASM_BUILTINS, with the rego_v1 feature (the npm SDK's capabilities.json lacks it).
 * A policy that calls anything else fails to build (MESH306) instead of failing at run time.
 */
export function wasmCapabilities(opaCapabilities: Capabilities): Capabilities {
  const allowed = new Set(WASM_BUILTINS);
  const features = new Set(opaCapabilities.features ?? []);
  features.add('rego_v1');
  return { ...opaCapabilities, builtins: opaCapabilities.builtins.filter((b) => allowed.has(b.name)), features: [...features].sort() };
}

export interface WasmBuild {
  readonly wasm?: Buffer;
  /** sha256 of `wasm`: what a cache of the module's decisions is keyed by. */
  readonly wasmDigest?: string;
  readonly entrypoints: readonly string[];
  /** The capabilities file contents the build used. */
  readonly capabilities?: Capabilities;
  readonly diagnostics: readonly Diagnostic[];
  readonly commands: readonly (readonly string[])[];
}

export interface WasmBuildOptions {
  readonly entrypoints?: readonly string[];
  /** Policy folders relative to root (default: governance/policies, domains/<d>/policies). */
  readonly dirs?: readonly string[];
  /**
   * Where compiled policies are kept between runs, keyed by a hash of everything the build
   * reads (the opa binary, the entrypoints, the builtins admitted, every policy file). Default:
   * no cache. A cached module whose checksum does not match is ignored and rebuilt.
   */
  readonly cacheDir?: string;
}

const buildCache = new Map<string, Promise<WasmBuild>>();
const WASM_CACHE_FORMAT = 'mesh-policy-wasm/1';

/**
 * `opa build -t wasm` of the repository's policies (tests excluded) with explicit
 * entrypoints and the wasm capabilities file. Cached in-process by the sources' hash, and in
 * `cacheDir` when given. Throws ToolMissingError when opa is not installed.
 */
export async function buildPolicyWasm(root: string, options: WasmBuildOptions = {}): Promise<WasmBuild> {
  return startPolicyBuild(root, await requireTool(root, 'opa'), options);
}

/**
 * `buildPolicyWasm` with the opa binary already found. Everything up to starting `opa build`
 * happens before it returns, so a caller can do its own synchronous work while opa compiles.
 */
export function startPolicyBuild(root: string, opa: string, options: WasmBuildOptions = {}): Promise<WasmBuild> {
  const dirs = options.dirs ?? policyDirs(fileSystemSource(root));
  const entrypoints = options.entrypoints ?? Object.values(ENTRYPOINTS);
  const binary = fs.statSync(opa);
  const hash = createHash('sha256')
    .update(`${WASM_CACHE_FORMAT}\0${fs.realpathSync(opa)}\0${binary.size}\0${binary.mtimeMs}\0`)
    .update(entrypoints.join(','))
    .update('\0')
    .update(WASM_BUILTINS.join(','))
    .update('\0');
  const files = options.dirs
    ? dirs.flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego')).map((f) => `${d}/${f}`))
    : regoFiles(fileSystemSource(root));
  for (const f of files.sort()) hash.update(f).update('\0').update(fs.readFileSync(path.join(root, f))).update('\0');
  const digest = hash.digest('hex');
  const key = `${path.resolve(root)}\0${digest}`;
  let build = buildCache.get(key);
  if (!build) {
    const cached = options.cacheDir === undefined ? undefined : readCachedWasm(options.cacheDir, digest);
    build = cached ? Promise.resolve({ ...cached, entrypoints, diagnostics: [], commands: [] }) : compile(root, opa, dirs, entrypoints);
    if (!cached) {
      const dir = options.cacheDir;
      build = build.then((b) => {
        if (!b.wasm) return b;
        const wasmDigest = sha256(b.wasm);
        if (dir !== undefined) writeCachedWasm(dir, digest, b.wasm, wasmDigest);
        return { ...b, wasmDigest };
      });
    }
    buildCache.set(key, build);
    build.then((b) => b.wasm || buildCache.delete(key), () => buildCache.delete(key));
  }
  return build;
}

function cachedWasmPath(dir: string, digest: string): string {
  return path.join(dir, 'policy-wasm', `${digest}.wasm`);
}

/** A cached module, when its file and checksum file agree; anything else is a miss. */
function readCachedWasm(dir: string, digest: string): { wasm: Buffer; wasmDigest: string } | undefined {
  try {
    const file = cachedWasmPath(dir, digest);
    const wasm = fs.readFileSync(file);
    const expected = fs.readFileSync(`${file}.sha256`, 'utf8').trim();
    return sha256(wasm) === expected ? { wasm, wasmDigest: expected } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a module and its checksum; a cache that cannot be written only costs the next run a build. */
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function writeCachedWasm(dir: string, digest: string, wasm: Buffer, wasmDigest: string): void {
  const file = cachedWasmPath(dir, digest);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const old of fs.readdirSync(path.dirname(file))) fs.rmSync(path.join(path.dirname(file), old), { force: true });
    fs.writeFileSync(`${file}.${process.pid}.tmp`, wasm);
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
    fs.writeFileSync(`${file}.sha256`, `${wasmDigest}\n`);
  } catch {
    // not fatal: the module was built and is used from memory
  }
}

async function compile(root: string, opa: string, dirs: readonly string[], entrypoints: readonly string[]): Promise<WasmBuild> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-wasm-'));
  const commands: string[][] = [];
  try {
    const capsArgs = ['capabilities', '--current'];
    commands.push(capsArgs);
    // Synchronous (a few milliseconds), so that `opa build` is running when startPolicyBuild returns.
    const caps = runSync(opa, capsArgs);
    if (caps.code !== 0) {
      return { entrypoints, diagnostics: parseOpaErrors(root, caps.stderr, CODES.opaFailure), commands };
    }
    const capabilities = wasmCapabilities(JSON.parse(caps.stdout) as Capabilities);
    const capsFile = path.join(tmp, 'capabilities.json');
    fs.writeFileSync(capsFile, JSON.stringify(capabilities));
    const out = path.join(tmp, 'bundle.tar.gz');
    const args = ['build', '-t', 'wasm', '--capabilities', capsFile, '--ignore', '*_test.rego', '-o', out];
    for (const e of entrypoints) args.push('-e', e);
    args.push(...dirs);
    commands.push(args);
    const r = await run(opa, args, { cwd: root });
    if (r.code !== 0) {
      const diagnostics = parseOpaErrors(root, `${r.stderr}\n${r.stdout}`, CODES.wasmBuild).map((d) =>
        /undefined function/.test(d.message)
          ? { ...d, hint: 'only builtins the wasm runtime implements are admitted (WASM_BUILTINS in packages/policy/src/wasm.ts); pass time as input.now_ns' }
          : d,
      );
      return { entrypoints, capabilities, diagnostics, commands };
    }
    const wasm = extractFromTarGz(fs.readFileSync(out), '/policy.wasm');
    if (!wasm) {
      return { entrypoints, capabilities, diagnostics: [diagnostic('error', CODES.wasmBuild, 'opa build produced no /policy.wasm', '.', 1, 1)], commands };
    }
    return { wasm, entrypoints, capabilities, diagnostics: [], commands };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Reads one file out of a gzipped tar (the bundle opa build writes). */
export function extractFromTarGz(archive: Buffer, name: string): Buffer | undefined {
  const tar = gunzipSync(archive);
  const wanted = name.replace(/^\/+/, '');
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const entry = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const body = offset + 512;
    if (entry.replace(/^\/+/, '') === wanted) return Buffer.from(tar.subarray(body, body + size));
    offset = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** The parts of opa-wasm's LoadedPolicy the fast path uses (declared in its typings). */
interface LoadedPolicyInternals {
  readonly minorVersion: number;
  readonly mem: { buffer: ArrayBuffer; grow(pages: number): number };
  readonly wasmInstance: { exports: Record<string, unknown> };
  readonly dataAddr: number;
  readonly dataHeapPtr: number;
  readonly entrypoints: Record<string, number>;
}

type OpaEval = (ctx: number, entrypoint: number, dataAddr: number, inputAddr: number, inputLen: number, heapAddr: number, format: number) => number;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PAGE = 64 * 1024;

/**
 * A compiled policy loaded in-process, with its data document set.
 *
 * evaluate() takes ABI 1.2's single-call path (opa_eval) as opa-wasm's own evaluate does, but
 * encodes the input straight into the module's memory and decodes the result with shared
 * encoders: per decision, the cost is moving the input in and the result out, once each.
 */
export class CompiledPolicy {
  private readonly internals: LoadedPolicyInternals;
  private readonly opaEval?: OpaEval;
  private view: Uint8Array;

  private constructor(
    private readonly policy: LoadedPolicy,
    readonly entrypoints: readonly string[],
  ) {
    this.internals = policy as unknown as LoadedPolicyInternals;
    const fn = this.internals.wasmInstance.exports.opa_eval;
    if (this.internals.minorVersion >= 2 && typeof fn === 'function') this.opaEval = fn as OpaEval;
    this.view = new Uint8Array(this.internals.mem.buffer);
  }

  static async load(wasm: Buffer | Uint8Array, data: PolicyData | object): Promise<CompiledPolicy> {
    // opa-wasm's default memory (5 pages) is smaller than what the module of a large mesh's
    // policies asks for; give it what the module declares.
    const initial = Math.max(DEFAULT_MEMORY_PAGES, requiredMemoryPages(wasm) ?? 0);
    // The synchronous loader: the asynchronous one asks whether its argument is a fetch Response,
    // and that question alone loads Node's HTTP client (undici), a fifth of `mesh validate`'s start-up.
    const policy = loadPolicySync(wasm as unknown as Parameters<typeof loadPolicySync>[0], { initial });
    policy.setData(data);
    return new CompiledPolicy(policy, Object.keys(policy.entrypoints ?? {}));
  }

  /** Replaces the data document (e.g. a new registry). */
  setData(data: PolicyData | object): void {
    this.policy.setData(data);
  }

  /**
   * Evaluates one entrypoint. Returns the result, or undefined when the policy leaves it
   * undefined. Throws an Error (never a bare string) when evaluation fails.
   */
  evaluate(input: unknown, entrypoint: string = DEFAULT_ENTRYPOINT): unknown {
    let out: { result: unknown }[];
    try {
      out = this.opaEval ? this.fastEvaluate(input, entrypoint) : (this.policy.evaluate(input, entrypoint) as { result: unknown }[]);
    } catch (error) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    return out.length === 0 ? undefined : out[0]!.result;
  }

  /**
   * Evaluates one entrypoint on an input that is already JSON text (as a gateway receives it
   * over the wire): the text goes into the module's memory as is, with no parse and re-serialize
   * in JavaScript. The text must be one well-formed JSON value.
   */
  evaluateJson(json: string, entrypoint: string = DEFAULT_ENTRYPOINT): unknown {
    if (!this.opaEval) return this.evaluate(JSON.parse(json), entrypoint);
    let out: { result: unknown }[];
    try {
      out = this.fastEvaluate(undefined, entrypoint, json);
    } catch (error) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    return out.length === 0 ? undefined : out[0]!.result;
  }

  private fastEvaluate(input: unknown, entrypoint: string, json?: string): { result: unknown }[] {
    const p = this.internals;
    const id = p.entrypoints[entrypoint];
    if (id === undefined) throw new Error(`entrypoint ${entrypoint} is not valid in this instance`);
    const addr = p.dataHeapPtr;
    let length = 0;
    if (json !== undefined || (input !== undefined && input !== null)) {
      const text = json ?? JSON.stringify(input);
      const worst = addr + text.length * 3;
      if (worst > p.mem.buffer.byteLength) p.mem.grow(Math.ceil((worst - p.mem.buffer.byteLength) / PAGE));
      if (this.view.buffer !== p.mem.buffer) this.view = new Uint8Array(p.mem.buffer);
      length = encoder.encodeInto(text, this.view.subarray(addr)).written;
    }
    const result = (this.opaEval as OpaEval)(0, id, p.dataAddr, addr, length, addr + length, 0);
    if (this.view.buffer !== p.mem.buffer) this.view = new Uint8Array(p.mem.buffer);
    const end = this.view.indexOf(0, result);
    return JSON.parse(decoder.decode(this.view.subarray(result, end))) as { result: unknown }[];
  }
}

export interface EvaluationResult {
  readonly entrypoint: string;
  /** Undefined when the decision is undefined (or evaluation failed: see diagnostics). */
  readonly result?: unknown;
  readonly diagnostics: readonly Diagnostic[];
}



/** Builds (cached), loads and fills a CompiledPolicy for the repository at `root`. */
export async function loadCompiledPolicy(
  root: string,
  options: { mesh?: MeshLike; data?: PolicyData; cacheDir?: string; build?: Promise<WasmBuild> } = {},
): Promise<{ policy?: CompiledPolicy; data: PolicyData; diagnostics: Diagnostic[] }> {
  const build = await (options.build ?? buildPolicyWasm(root, options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}));
  const built = options.data ? { data: options.data, diagnostics: [] as Diagnostic[] } : buildPolicyData(root, options.mesh ?? loadPolicyMesh(root));
  const diagnostics = [...build.diagnostics, ...built.diagnostics];
  if (!build.wasm) return { data: built.data, diagnostics };
  const policy = await CompiledPolicy.load(build.wasm, built.data);
  return { policy, data: built.data, diagnostics };
}

/**
 * `mesh policy eval`: one decision through the compiled wasm, in-process, with the policy data
 * generated from the mesh at `root`.
 */
export async function evaluatePolicy(
  root: string,
  input: unknown,
  entrypoint: string = DEFAULT_ENTRYPOINT,
  options: { mesh?: MeshLike; data?: PolicyData } = {},
): Promise<EvaluationResult> {
  const { policy, diagnostics } = await loadCompiledPolicy(root, options);
  if (!policy) return { entrypoint, diagnostics };
  if (!policy.entrypoints.includes(entrypoint)) {
    return {
      entrypoint,
      diagnostics: [
        ...diagnostics,
        diagnostic('error', CODES.evalFailure, `unknown entrypoint '${entrypoint}'`, '.', 1, 1, `one of: ${policy.entrypoints.join(', ')}`),
      ],
    };
  }
  try {
    const result = policy.evaluate(input, entrypoint);
    return result === undefined ? { entrypoint, diagnostics } : { entrypoint, result, diagnostics };
  } catch (error) {
    return { entrypoint, diagnostics: [...diagnostics, diagnostic('error', CODES.evalFailure, `evaluation of ${entrypoint} failed: ${(error as Error).message}`, '.', 1, 1)] };
  }
}


/**
 * One decision through the compiled wasm for the repository at `options.root` (default: the
 * current directory): `evaluatePolicy(root, input, entrypoint)`.
 */
export function evaluate(input: unknown, entrypoint: string = DEFAULT_ENTRYPOINT, options: { root?: string } = {}): Promise<EvaluationResult> {
  return evaluatePolicy(options.root ?? process.cwd(), input, entrypoint);
}
