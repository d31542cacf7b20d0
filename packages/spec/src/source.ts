import * as fs from 'node:fs';
import * as path from 'node:path';

export type EntryKind = 'file' | 'dir' | 'other';

export interface DirEntry {
  readonly name: string;
  readonly kind: EntryKind;
}

export type ReadResult =
  | { readonly kind: 'ok'; readonly bytes: Buffer }
  | { readonly kind: 'missing' }
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'outside-root' };

/**
 * Where a mesh is read from: the working tree, or a git revision. Paths are relative to the
 * mesh root, with forward slashes.
 */
export interface MeshSource {
  /** The entries of a directory, sorted by name, or undefined when it does not exist. */
  list(dir: string): DirEntry[] | undefined;
  /** The bytes of a file; files larger than maxBytes are refused without being read. */
  read(file: string, maxBytes: number): ReadResult;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const SIMPLE_PATH = /^(?!\.{1,2}(?:\/|$))[^/\0]+(?:\/(?!\.{1,2}(?:\/|$))[^/\0]+)*$/;

/** A mesh on the file system. Symbolic links that lead outside the root are refused. */
export function fileSystemSource(root: string): MeshSource {
  const absoluteRoot = path.resolve(root);
  let realRoot: string | undefined;
  const resolveInside = (rel: string): string | undefined => {
    // Paths the loader builds from listed names need no resolving; anything else is resolved and checked.
    if (SIMPLE_PATH.test(rel)) return `${absoluteRoot}/${rel}`;
    const full = path.resolve(absoluteRoot, rel);
    if (!isInside(absoluteRoot, full)) return undefined;
    return full;
  };
  const followsOutside = (full: string): boolean => {
    realRoot ??= fs.realpathSync.native(absoluteRoot);
    try {
      return !isInside(realRoot, fs.realpathSync.native(full));
    } catch {
      return false;
    }
  };
  // Directories proven to lie inside the root (after following links), so each is checked once.
  const insideDirs = new Map<string, boolean>();
  const dirIsInside = (dir: string): boolean => {
    let known = insideDirs.get(dir);
    if (known === undefined) {
      known = !followsOutside(dir);
      insideDirs.set(dir, known);
    }
    return known;
  };
  return {
    list(dir) {
      const full = resolveInside(dir);
      if (full === undefined) return undefined;
      let dirents: fs.Dirent[];
      try {
        dirents = fs.readdirSync(full, { withFileTypes: true });
      } catch {
        return undefined;
      }
      const entries: DirEntry[] = [];
      const parentInside = dirIsInside(full);
      for (const d of dirents) {
        let kind: EntryKind = d.isFile() ? 'file' : d.isDirectory() ? 'dir' : 'other';
        // A real (not linked) folder inside a folder inside the root is inside the root too.
        if (kind === 'dir') insideDirs.set(path.join(full, d.name), parentInside);
        if (d.isSymbolicLink()) {
          const target = path.join(full, d.name);
          if (followsOutside(target)) kind = 'other';
          else {
            try {
              const st = fs.statSync(target);
              kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
            } catch {
              kind = 'other';
            }
          }
        }
        entries.push({ name: d.name, kind });
      }
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    read(file, maxBytes) {
      const full = resolveInside(file);
      if (full === undefined || !dirIsInside(path.dirname(full))) return { kind: 'outside-root' };
      let fd: number;
      try {
        // O_NOFOLLOW: a file that is itself a link fails to open, and only then is it followed, with care.
        fd = fs.openSync(full, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOOP') return { kind: 'missing' };
        if (followsOutside(full)) return { kind: 'outside-root' };
        try {
          fd = fs.openSync(full, 'r');
        } catch {
          return { kind: 'missing' };
        }
      }
      try {
        const st = fs.fstatSync(fd);
        if (!st.isFile()) return { kind: 'missing' };
        if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
        const bytes = Buffer.allocUnsafe(st.size);
        let offset = 0;
        while (offset < st.size) {
          const n = fs.readSync(fd, bytes, offset, st.size - offset, offset);
          if (n === 0) break;
          offset += n;
        }
        return { kind: 'ok', bytes: offset === st.size ? bytes : bytes.subarray(0, offset) };
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}
