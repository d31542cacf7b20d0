'use strict';
/** What the benchmark scripts share: their option reader and a git that commits as the bench. */
const { execFileSync } = require('child_process');

/** The value after `--name` on the command line, or the fallback. */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

/** git in `cwd` (argument array, no shell), committing as bench@example.com; returns stdout. */
function git(cwd, ...args) {
  return execFileSync('git', ['-C', cwd, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], { maxBuffer: 1 << 28 }).toString();
}

module.exports = { arg, git };
