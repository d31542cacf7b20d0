import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option } from 'commander';
import { UsageError, type Io } from './io';

export function rootOption(): Option {
  return new Option('--root <dir>', 'the repository root holding domains/').default('.');
}

export function formatOption(formats: readonly string[]): Option {
  return new Option('--format <format>', 'output format').choices([...formats]).default('text');
}

/** The absolute root directory, which must exist. */
export function resolveRoot(io: Io, root: string): string {
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
