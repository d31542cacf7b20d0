import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const REPO = join(__dirname, '..', '..', '..');

/**
 * The pinned DataHub CLI that scripts/setup-datahub.sh installs, or undefined with a loud skip
 * message; in CI (`CI=true`) a missing CLI throws, naming the script.
 */
export function datahubCli(what: string): string | undefined {
  const version = /^DATAHUB_VERSION=(\S+)$/m.exec(readFileSync(join(REPO, 'scripts', 'setup-datahub.sh'), 'utf8'))![1]!;
  const bin = join(REPO, '.tools', `datahub-${version}`, 'bin', 'datahub');
  if (existsSync(bin)) return bin;
  const message = `the DataHub CLI ${version} is not installed: run scripts/setup-datahub.sh (${what} is NOT checked by DataHub's tooling)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return undefined;
}
