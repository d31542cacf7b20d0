'use strict';
/**
 * A smoke run of bench/parity at its smallest size, as smoke.test.js runs the other benchmarks
 * (a child process from the repository root, into a temporary folder): it fails when the
 * benchmark crashes, reports counts other than the ones its data is built with (exit 1), or
 * prints no figures. datacompy runs beside it when scripts/setup-datacompy.sh installed it;
 * with CI=true it must be there (the datacompy agreement test of @data-mesh/cli demands it too).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const N = String.raw`\d[\d,]*(?:\.\d+)?`;

function datacompyInstalled() {
  const version = /^DATACOMPY_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(REPO, 'scripts', 'setup-datacompy.sh'), 'utf8'))[1];
  return fs.existsSync(path.join(REPO, '.tools', `datacompy-${version}`, 'bin', 'python'));
}

test('parity: mesh parity on 20-column Parquet, full and 5% sample, beside datacompy', () => {
  const withDatacompy = datacompyInstalled() || process.env.CI === 'true';
  if (!withDatacompy) console.warn('SKIPPED (datacompy side only): datacompy is not installed: run scripts/setup-datacompy.sh');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-parity-'));
  try {
    const args = ['bench/parity/parity-bench.js', '--rows', '2000', '--datacompy-rows', '2000', '--runs', '1', '--out', out, ...(withDatacompy ? [] : ['--no-datacompy'])];
    const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
    const line = `^ +2,000 rows \\(${N} MiB per side\\): full ${N} ms \\(${N} ms per million rows, peak (?:${N} MiB|\\?)\\), 5% sample ${N} ms`;
    expect(r.stdout).toMatch(new RegExp(withDatacompy ? `${line}; datacompy ${N} ms .*ratio ${N}x datacompy$` : `${line}$`, 'm'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
