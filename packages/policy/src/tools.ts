import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the setup script installs the toolchain, relative to the repository root. */
export const TOOLS_BIN = path.join('.tools', 'bin');
export const VERSIONS_FILE = path.join('tools', 'versions.env');
export const SETUP_SCRIPT = path.join('scripts', 'setup-tools.sh');
export const INSTALL_COMMAND = 'bash scripts/setup-tools.sh';

export interface ToolVersions {
  readonly opa: string;
  readonly regal: string;
}

/** Reads the pinned versions from tools/versions.env (the one place that pins them). */
export function readToolVersions(root: string): ToolVersions {
  const text = fs.readFileSync(path.join(root, VERSIONS_FILE), 'utf8');
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_]+)=(.*?)\s*$/.exec(line);
    if (m) values.set(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ''));
  }
  const opa = values.get('OPA_VERSION');
  const regal = values.get('REGAL_VERSION');
  if (!opa || !regal) throw new Error(`${VERSIONS_FILE} must set OPA_VERSION and REGAL_VERSION`);
  return { opa, regal };
}

/** A tool the policy toolchain needs is not installed: carries the command that installs it. */
export class ToolMissingError extends Error {
  readonly code = 'MESH300';
  constructor(
    readonly tool: 'opa' | 'regal',
    readonly installCommand: string,
    detail: string,
  ) {
    super(`${tool} not found: ${detail}. Install it with: ${installCommand}`);
    this.name = 'ToolMissingError';
  }
}

export type FindToolResult =
  | { readonly found: true; readonly path: string; readonly version: string; readonly pinned: string }
  | { readonly found: false; readonly diagnostic: string; readonly installCommand: string };

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The version a binary reported, kept in `cacheDir` by the file's identity (real path, size,
 * mtime, inode): a binary replaced or rebuilt is asked again.
 */
async function cachedVersionOf(bin: string, cacheDir: string | undefined): Promise<string | undefined> {
  if (cacheDir === undefined) return versionOf(bin);
  const file = path.join(cacheDir, 'tool-versions.json');
  let identity: string;
  let known: Record<string, string> = {};
  try {
    const stat = fs.statSync(bin);
    identity = [fs.realpathSync(bin), stat.size, stat.mtimeMs, stat.ino].join('\0');
  } catch {
    return versionOf(bin);
  }
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) known = parsed as Record<string, string>;
  } catch {
    // none yet, or unreadable: ask the binary
  }
  if (typeof known[identity] === 'string') return known[identity];
  const version = await versionOf(bin);
  if (version === undefined) return undefined;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ ...known, [identity]: version }));
    fs.renameSync(tmp, file);
  } catch {
    // the next run asks again
  }
  return version;
}

function versionOf(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin, ['version'], { timeout: 20_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const m = /^Version:\s*v?(\S+)/m.exec(stdout);
      resolve(m ? m[1] : undefined);
    });
  });
}

export interface ToolLookupOptions {
  /** Where the versions binaries reported are kept between runs (asking one is a process start). @default not kept */
  readonly cacheDir?: string;
}

/**
 * Finds a tool: `<root>/.tools/bin/<tool>` first, then PATH. A binary of another version than
 * the pinned one is reported, not used: decisions must not depend on whose laptop runs them.
 */
export async function findTool(root: string, tool: 'opa' | 'regal', options: ToolLookupOptions = {}): Promise<FindToolResult> {
  let versions: ToolVersions;
  try {
    versions = readToolVersions(root);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${VERSIONS_FILE} is missing in ${root}: it must set OPA_VERSION and REGAL_VERSION` : (error as Error).message;
    return { found: false, diagnostic: `the ${tool} version is pinned nowhere (${reason})`, installCommand: INSTALL_COMMAND };
  }
  const pinned = tool === 'opa' ? versions.opa : versions.regal;
  const candidates = [path.join(root, TOOLS_BIN, tool)];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, tool));
  const seen: string[] = [];
  for (const candidate of candidates) {
    if (!executable(candidate)) continue;
    const version = await cachedVersionOf(candidate, options.cacheDir);
    if (version === pinned) return { found: true, path: candidate, version, pinned };
    seen.push(`${candidate} is ${version ?? 'of an unknown version'}`);
  }
  const where = seen.length > 0 ? `${seen.join('; ')}, pinned is ${pinned}` : `not in ${path.join(root, TOOLS_BIN)} nor on PATH`;
  return {
    found: false,
    diagnostic: `${tool} ${pinned} is not installed (${where})`,
    installCommand: INSTALL_COMMAND,
  };
}

/** `findTool(root, 'opa')`. */
export function findOpa(root: string): Promise<FindToolResult> {
  return findTool(root, 'opa');
}

const resolved = new Map<string, Promise<string>>();

/** The path of the pinned tool, or a ToolMissingError. Cached per root. */
export function requireTool(root: string, tool: 'opa' | 'regal', options: ToolLookupOptions = {}): Promise<string> {
  const key = `${path.resolve(root)}\0${tool}`;
  let found = resolved.get(key);
  if (!found) {
    found = findTool(root, tool, options).then((r) => {
      if (r.found) return r.path;
      throw new ToolMissingError(tool, r.installCommand, r.diagnostic);
    });
    found.catch(() => resolved.delete(key));
    resolved.set(key, found);
  }
  return found;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a binary with an argument array (never a shell). Resolves with the exit code. */
export function run(
  bin: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 300_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') return reject(error);
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `run`, blocking: for short commands whose result the next step needs at once. */
export function runSync(bin: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): RunResult {
  const result = spawnSync(bin, [...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
