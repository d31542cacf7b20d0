'use strict';
/**
 * Runs the CLI's bundle with V8's compiled code kept between runs, as Node 22's
 * `module.enableCompileCache()` does (Node 20, which this CLI supports, has no such switch).
 * Compiling the bundle is a third of a short command's own time; with the cache, V8 reads the
 * compiled code back instead.
 *
 * One cache file per command (`mesh validate` and `mesh check` compile different functions),
 * named by the bundle's path, size, mtime and inode and the node version: a rebuilt bundle or
 * another node never reads an old one, and V8 itself refuses data of another source length or
 * other flags. The folder is the user's own (mode 0700, owner checked) under the temp folder.
 * A cache that cannot be read or written only costs the next run its compile: it is never an
 * error. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node 22's variable).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

function userCacheDir() {
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username.replace(/[^A-Za-z0-9_-]/g, '_');
  const dir = path.join(os.tmpdir(), `mesh-compile-cache-${user}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  // Another user's folder (planted before ours) could hold code V8 would run: use none then.
  if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o077) !== 0)) return undefined;
  return dir;
}

function cachePath(file, command) {
  const stat = fs.statSync(file);
  const identity = [path.resolve(file), stat.size, stat.mtimeMs, stat.ino, process.version, process.arch].join('\0');
  const dir = userCacheDir();
  const name = `${crypto.createHash('sha256').update(identity).digest('hex').slice(0, 32)}-${command.replace(/[^a-z-]/g, '') || 'main'}.bin`;
  return dir && path.join(dir, name);
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file, data) {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // the next run compiles again
  }
}

/** Requires `file` (a CommonJS module) through V8's code cache; `command` names the cache. */
function requireCached(file, command) {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return require(file);
  let cacheFile;
  try {
    cacheFile = cachePath(file, command);
  } catch {
    cacheFile = undefined;
  }
  if (!cacheFile) return require(file);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the command ran: the data then holds the functions it compiled too, not only the top level.
    process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  }
  const mod = new Module(file, module);
  mod.filename = file;
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { requireCached };
