'use strict';
/**
 * Start-up of the mesh command beside `node -e 0`: `mesh --help`, and `mesh validate` on the
 * example mesh (this repository's domains/: 9 products) with and without the governance
 * standards (--no-policy skips the OPA evaluation). Each command runs as a child process, as a
 * user runs it, `--runs` times (default 15) in rotation so a change of machine load hits every
 * command alike; the figure is the median wall time, and the ratio is to the median of
 * `node -e 0`. Also the modules each command loaded (a preload counts require.cache on exit).
 * Needs the built CLI (npm run build) and, for validate with policies, opa (npm run setup).
 *
 *   node bench/startup/startup-bench.js [--runs 15] [--root DIR] [--json]
 *
 * Exits 1 only when a command fails (validate finding errors in the example mesh included).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { arg } = require('../lib/cli');

const REPO = path.resolve(__dirname, '..', '..');
const MESH = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');
const runs = Number(arg('runs', '15'));
const root = path.resolve(arg('root', REPO));

const COMMANDS = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'mesh --help', args: [MESH, '--help'] },
  { name: 'mesh validate --no-policy', args: [MESH, 'validate', '--no-policy', '--root', root] },
  { name: 'mesh validate', args: [MESH, 'validate', '--root', root] },
];

const counter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-startup-')), 'count-modules.js');
fs.writeFileSync(counter, "process.on('exit', () => { process.stderr.write(`\\nmodules loaded: ${Object.keys(require.cache).length - 1}\\n`); });\n");

function run(args, preload) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, preload ? ['--require', counter, ...args] : args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    process.stderr.write(`${args.join(' ')} exited ${r.status}:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}\n`);
    process.exit(1);
  }
  return { ms, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = COMMANDS.map(() => []);
for (const command of COMMANDS) run(command.args); // warm the file cache (and opa's compiled-policy cache)
for (let i = 0; i < runs; i++) COMMANDS.forEach((command, c) => times[c].push(run(command.args).ms));
const modules = COMMANDS.map((command) => Number(/modules loaded: (\d+)/.exec(run(command.args, true).stderr)?.[1] ?? NaN));

const floor = median(times[0]);
const rows = COMMANDS.map((command, c) => ({ command: command.name, medianMs: Math.round(median(times[c]) * 10) / 10, minMs: Math.round(Math.min(...times[c]) * 10) / 10, ratio: Math.round((median(times[c]) / floor) * 100) / 100, modules: modules[c] }));
const load = os.loadavg()[0].toFixed(1);
fs.rmSync(path.dirname(counter), { recursive: true, force: true });

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ runs, node: process.version, cores: os.availableParallelism(), loadAverage: Number(load), rows })}\n`);
} else {
  process.stdout.write(`startup: ${runs} runs each, median wall time, node ${process.version}, ${os.availableParallelism()} cores, load ${load}\n`);
  process.stdout.write(`${'command'.padEnd(28)}${'median ms'.padStart(10)}${'min ms'.padStart(9)}${'x node'.padStart(8)}${'modules'.padStart(9)}\n`);
  for (const r of rows) process.stdout.write(`${r.command.padEnd(28)}${r.medianMs.toFixed(1).padStart(10)}${r.minMs.toFixed(1).padStart(9)}${`${r.ratio.toFixed(2)}x`.padStart(8)}${String(r.modules).padStart(9)}\n`);
}
