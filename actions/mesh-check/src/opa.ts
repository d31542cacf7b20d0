import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * sha256 of the official OPA release binaries the Action may download, by version and
 * platform (`<os>_<arch>` as in the release asset name `opa_<os>_<arch>[_static]`).
 * A version or platform missing here is never downloaded: install opa another way
 * (`opa-path`, open-policy-agent/setup-opa, scripts/setup-tools.sh) or add its checksums
 * from the release's `.sha256` files with `node actions/mesh-check/scripts/opa-checksums.js <version>`.
 */
export const OPA_CHECKSUMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // Filled from https://github.com/open-policy-agent/opa/releases/download/v<version>/<asset>.sha256
  // by scripts/opa-checksums.js on a machine with GitHub access. The machine this was written on
  // has none, so no entry is committed yet and the Action refuses to download (see README).
};

export interface OpaPlatform {
  readonly os: string;
  readonly arch: string;
  /** The release asset. */
  readonly asset: string;
}

export function opaPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): OpaPlatform {
  const os = platform === 'win32' ? 'windows' : platform;
  const a = arch === 'x64' ? 'amd64' : arch;
  if (os === 'linux') return { os, arch: a, asset: `opa_linux_${a}_static` };
  if (os === 'windows') return { os, arch: a, asset: `opa_windows_${a}.exe` };
  // macOS on Apple silicon ships a static build only.
  if (os === 'darwin' && a === 'arm64') return { os, arch: a, asset: 'opa_darwin_arm64_static' };
  return { os, arch: a, asset: `opa_${os}_${a}` };
}

export function opaDownloadUrl(version: string, platform: OpaPlatform, baseUrl = 'https://github.com/open-policy-agent/opa/releases/download'): string {
  return `${baseUrl.replace(/\/$/, '')}/v${version}/${platform.asset}`;
}

export function expectedChecksum(version: string, platform: OpaPlatform, table = OPA_CHECKSUMS): string | undefined {
  return table[version]?.[`${platform.os}_${platform.arch}`];
}

/** The first executable called `opa` on PATH (looked up by hand: no shell, no `which`). */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class ChecksumError extends Error {}

/**
 * Downloads `url` to `dest` and checks its sha256 before anything may run it; on a mismatch the
 * file is deleted and a ChecksumError thrown.
 */
export async function downloadVerified(url: string, expectedSha256: string, dest: string): Promise<string> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok || !response.body) throw new Error(`download of ${url} failed: HTTP ${response.status}`);
  const data = Buffer.from(await response.arrayBuffer());
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== expectedSha256.toLowerCase()) {
    throw new ChecksumError(`checksum mismatch for ${url}: expected sha256 ${expectedSha256}, got ${actual}; the file was not used`);
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, data, { mode: 0o755 });
  return dest;
}
