#!/usr/bin/env node
// Fails when the committed dist/ differs from a fresh build of the sources: rebuilds into a
// temporary folder and compares every file. Run by .github/workflows/pr.yml and the tests.
//
//   node scripts/check-dist.js [--ref REV]   (--ref: build from the sources committed at REV)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ACTION = path.resolve(__dirname, '..');
const DIST = path.join(ACTION, 'dist');

function files(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-check-dist-'));
try {
  execFileSync(process.execPath, [path.join(__dirname, 'bundle.js'), '--outdir', tmp, ...process.argv.slice(2)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fresh = new Set(files(tmp));
  const committed = new Set(files(DIST));
  const problems = [];
  for (const f of fresh) {
    if (!committed.has(f)) problems.push(`missing from dist/: ${f}`);
    else if (!fs.readFileSync(path.join(tmp, f)).equals(fs.readFileSync(path.join(DIST, f)))) problems.push(`differs from a fresh build: dist/${f}`);
  }
  for (const f of committed) if (!fresh.has(f)) problems.push(`not produced by the build: dist/${f}`);
  if (problems.length) {
    console.error(`check-dist: dist/ is out of date; run \`npm run build -w actions/mesh-check\` and commit dist/\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`check-dist: dist/ matches the sources (${fresh.size} files)`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
