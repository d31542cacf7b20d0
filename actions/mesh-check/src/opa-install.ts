import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tc from '@actions/tool-cache';
import { EnvironmentError } from './event';
import { downloadVerified, expectedChecksum, findOnPath, opaDownloadUrl, opaPlatform } from './opa';

export interface OpaResolution {
  readonly path: string;
  readonly source: 'opa-path' | 'repository' | 'PATH' | 'tool cache' | 'download';
}

/**
 * Where opa comes from: the `opa-path` input; the repository's own .tools/bin/opa (what
 * scripts/setup-tools.sh installs); `opa` on PATH (open-policy-agent/setup-opa); the runner's
 * tool cache; and last a download of the pinned release whose sha256 must match the table
 * committed in src/opa.ts, then cached.
 */
export async function resolveOpa(root: string, opaPathInput: string, version: string): Promise<OpaResolution> {
  if (opaPathInput) {
    const p = path.resolve(root, opaPathInput);
    if (!fs.existsSync(p)) throw new EnvironmentError(`opa-path ${opaPathInput} does not exist`, 'point opa-path at an opa binary or leave it empty');
    return { path: p, source: 'opa-path' };
  }
  const local = path.join(root, '.tools', 'bin', process.platform === 'win32' ? 'opa.exe' : 'opa');
  if (fs.existsSync(local)) return { path: local, source: 'repository' };
  const onPath = findOnPath('opa');
  if (onPath) return { path: onPath, source: 'PATH' };
  if (process.env.RUNNER_TOOL_CACHE) {
    const cached = tc.find('opa', version);
    if (cached) return { path: path.join(cached, 'opa'), source: 'tool cache' };
  }
  const platform = opaPlatform();
  const sha = expectedChecksum(version, platform);
  if (!sha) {
    throw new EnvironmentError(
      `opa ${version} is not installed and the Action has no pinned sha256 for its ${platform.os}/${platform.arch} release, so it will not download it`,
      `install it first (open-policy-agent/setup-opa with version ${version}, or scripts/setup-tools.sh), or set opa-path`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'opa-'));
  const file = await downloadVerified(opaDownloadUrl(version, platform), sha, path.join(tmp, 'opa'));
  if (!process.env.RUNNER_TOOL_CACHE) return { path: file, source: 'download' };
  const dir = await tc.cacheFile(file, 'opa', 'opa', version);
  return { path: path.join(dir, 'opa'), source: 'download' };
}

/**
 * A directory whose `opa` is the given binary: its own directory when it is called opa,
 * otherwise a link to it under RUNNER_TEMP (the engine looks tools up by name on PATH).
 */
export function opaDirectory(binary: string): string {
  const exe = process.platform === 'win32' ? 'opa.exe' : 'opa';
  if (path.basename(binary) === exe) return path.dirname(binary);
  const dir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'mesh-opa-'));
  fs.symlinkSync(path.resolve(binary), path.join(dir, exe));
  return dir;
}
