import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { UsageError, type Io } from './io';

/** What marks the repository root: the domain map. */
export const ROOT_MARKER = path.join('domains', 'domain-map.yaml');

export function rootOption(): Option {
  return new Option('--root <dir>', 'the repository root holding domains/ (default: the nearest folder, from the current one upward, holding domains/domain-map.yaml)');
}

/** An ISO-8601 instant with its offset (`2026-12-05T18:00:00Z`), as `--now` takes it. */
export function instant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected an ISO-8601 instant with its offset, e.g. 2026-12-05T18:00:00Z');
  }
  return value;
}

/** `--now`: the day sunsets are judged by, in place of the clock (a release rehearsed, a test). */
export function nowOption(): Option {
  return new Option('--now <instant>', "judge sunset dates as of this instant instead of the clock (e.g. 2027-01-15T00:00:00Z: what fails once a sunset passes)").argParser(instant);
}

export function formatOption(formats: readonly string[]): Option {
  return new Option('--format <format>', 'output format').choices([...formats]).default('text');
}

/**
 * The absolute root directory, which must exist. Without `--root`, the nearest folder at or above
 * the current one that holds domains/domain-map.yaml (as git finds .git): `mesh validate` works
 * inside domains/customer too.
 */
export function resolveRoot(io: Io, root: string | undefined): string {
  if (root === undefined) return findRoot(io.cwd);
  const absolute = path.resolve(io.cwd, root);
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(absolute).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new UsageError(`--root ${root}: no such directory`);
  return absolute;
}

/** The nearest folder at or above `start` holding domains/domain-map.yaml; a usage error naming where it looked when none does. */
export function findRoot(start: string): string {
  const from = path.resolve(start);
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isFile(path.join(dir, ROOT_MARKER))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(
    `no ${ROOT_MARKER} in ${from} or any folder above it: this is not inside a mesh repository`,
    'run mesh inside the repository (any folder of it), or name its root with --root DIR',
  );
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
