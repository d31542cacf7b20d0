'use strict';
/**
 * What the benchmark scripts share: their option reader, a git that commits as the bench, and
 * the repository's governance in a generated mesh.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The value after `--name` on the command line, or the fallback. */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

/** git in `cwd` (argument array, no shell), committing as bench@example.com; returns stdout. */
function git(cwd, ...args) {
  return execFileSync('git', ['-C', cwd, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], { maxBuffer: 1 << 28 }).toString();
}

/**
 * The repository's `governance/` and `tools/versions.env` as committed at HEAD (plus `extra`
 * paths) written into a generated mesh, and the repository's `.tools/bin` linked into it: what
 * the policies need (`mesh check`, `mesh validate`, and synthesis for the decision function).
 * The mesh keeps its own `.tools/cache`.
 */
function addGovernance(dir, ...extra) {
  const tar = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', 'HEAD', '--', 'governance', 'tools/versions.env', ...extra], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const bin = path.join(dir, '.tools', 'bin');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  if (!fs.existsSync(bin)) fs.symlinkSync(path.join(ROOT, '.tools', 'bin'), bin);
}

module.exports = { addGovernance, arg, git };
