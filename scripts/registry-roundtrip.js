#!/usr/bin/env node
'use strict';
/**
 * The packages as a platform team outside this repository gets them: starts Verdaccio (pinned,
 * scripts/setup-verdaccio.sh) on 127.0.0.1 with a temporary storage and config, publishes every
 * package of the fixed group of .changeset/config.json (built first: an unbuilt one is refused),
 * then in fresh folders outside the monorepo
 *   1. installs @data-mesh/cdk and @data-mesh/spec from it, and aws-cdk-lib, constructs, cdk-nag,
 *      aws-cdk (the CLI) and typescript at the repository's versions from the ordinary registry,
 *      writes the app packages/cdk/README.md shows with cdk-nag's AwsSolutions checks added as the
 *      repository's infra does, compiles it with tsc and runs `cdk synth`;
 *   2. installs @data-mesh/cli and runs `mesh validate` on a copy of domains/ (and on a broken one).
 * The registry is offline (no uplinks): it serves only the @data-mesh packages; the consumer's
 * .npmrc points the @data-mesh scope at it and takes third-party packages from the default one.
 *
 * Publishing is all or nothing: every package is checked (built, version not yet in the
 * registry) before the first is published, and a failed publish unpublishes what this run published.
 * The registry is stopped on every way out (exit, error, SIGINT, SIGTERM).
 *
 *   node scripts/registry-roundtrip.js [--json]     exit 0 when every step passed, 1 otherwise
 *
 * The functions are exported for bench/test/registry-roundtrip.test.js.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const VERDACCIO_VERSION = '6.8.0';
const VERDACCIO_BIN = path.join(REPO, '.tools', `verdaccio-${VERDACCIO_VERSION}`, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
/** The aws-cdk CLI the repository deploys with: the one pin, in .github/workflows/deploy.yml. */
function awsCdkCliVersion() {
  const m = /--package=aws-cdk@(\d+\.\d+\.\d+)\b/.exec(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'deploy.yml'), 'utf8'));
  if (!m) throw new RoundTripError('.github/workflows/deploy.yml pins no aws-cdk@<version> (npm exec --package=aws-cdk@X.Y.Z)');
  return m[1];
}

class RoundTripError extends Error {}

/** Children running now: ended with the script (the registry's stop runs on exit too). */
const running = new Set();
/** Folders of this run still in place: removed on every way out. */
const temporary = new Set();
/** Registries to stop on exit. */
const registries = new Set();
process.once('exit', () => {
  // each step on its own: one failing (a folder still being written) must not skip the others
  for (const stop of registries) {
    try {
      stop();
    } catch {
      // already stopped
    }
  }
  for (const child of running) child.kill('SIGKILL');
  for (const dir of temporary) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    } catch (error) {
      process.stderr.write(`registry-roundtrip: could not remove ${dir}: ${error.message}\n`);
    }
  }
});

/** A new temporary folder, removed when the script ends unless handed to the caller (temporary.delete). */
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.add(dir);
  return dir;
}

/**
 * Runs a command without blocking (so SIGINT and SIGTERM stop the round trip at once):
 * { status, stdout, stderr } like spawnSync's.
 */
function exec(cmd, args, { cwd, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      running.delete(child);
      resolve({ status: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (status) => {
      running.delete(child);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The publishable packages (the fixed group of .changeset/config.json), each with its folder and manifest. */
function publishablePackages() {
  const names = JSON.parse(fs.readFileSync(path.join(REPO, '.changeset', 'config.json'), 'utf8')).fixed[0];
  const byName = new Map();
  for (const d of fs.readdirSync(path.join(REPO, 'packages'))) {
    const file = path.join(REPO, 'packages', d, 'package.json');
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    byName.set(manifest.name, { name: manifest.name, version: manifest.version, dir: path.join(REPO, 'packages', d), manifest });
  }
  return names.map((n) => {
    const p = byName.get(n);
    if (!p) throw new RoundTripError(`.changeset/config.json names ${n}, which no packages/*/package.json is`);
    return p;
  });
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Verdaccio with a temporary storage and config, and a user to publish as. Returns
 * { url, token, stop }: stop() kills it and removes its folder (also run on process exit).
 */
async function startRegistry() {
  if (!fs.existsSync(VERDACCIO_BIN)) throw new RoundTripError(`Verdaccio ${VERDACCIO_VERSION} is not installed (${path.relative(REPO, VERDACCIO_BIN)}): bash scripts/setup-verdaccio.sh`);
  const dir = tempDir('mesh-registry-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    "  '@data-mesh/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'config.yaml'), config);
  const logFile = path.join(dir, 'verdaccio.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [VERDACCIO_BIN, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    registries.delete(stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    temporary.delete(dir);
  };
  registries.add(stop);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      stop();
      throw new RoundTripError(`Verdaccio exited with code ${child.exitCode} before it answered: ${text}`);
    }
    try {
      const res = await fetch(`${url}-/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new RoundTripError(`Verdaccio did not answer on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = await fetch(`${url}-/user/org.couchdb.user:mesh`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'mesh', password: 'round-trip-only' }),
  });
  const body = await res.json();
  if (!res.ok || !body.token) {
    stop();
    throw new RoundTripError(`Verdaccio refused the publishing user: ${res.status} ${JSON.stringify(body)}`);
  }
  return { url, token: body.token, stop, pid: child.pid };
}

/** An .npmrc for a folder that installs the @data-mesh scope from the registry (and may publish to it). */
function npmrc(registry) {
  const host = registry.url.replace(/^http:/, '');
  return `@data-mesh:registry=${registry.url}\n${host}:_authToken=${registry.token}\n`;
}

/** The versions of a package the registry holds ([] when it has none). */
async function registryVersions(registry, name) {
  const res = await fetch(`${registry.url}${name.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${registry.token}` } });
  if (res.status === 404) return [];
  if (!res.ok) throw new RoundTripError(`the registry answered ${res.status} for ${name}`);
  return Object.keys((await res.json()).versions ?? {});
}

/** Why a package cannot be published (unbuilt: dist or an entry point missing), or undefined. */
function unbuilt(pkg) {
  const targets = [pkg.manifest.main, pkg.manifest.types, ...Object.values(pkg.manifest.bin ?? {})].filter(Boolean);
  if (!fs.existsSync(path.join(pkg.dir, 'dist'))) return `${pkg.name} is not built (${path.relative(REPO, pkg.dir) || pkg.dir}/dist is missing): npm run build`;
  const missing = targets.filter((t) => !fs.existsSync(path.join(pkg.dir, t)));
  return missing.length ? `${pkg.name} is not built (${missing.join(', ')} missing): npm run build` : undefined;
}

/** The packages in an order where each comes after the @data-mesh packages it depends on. */
function dependencyOrder(packages) {
  const names = new Set(packages.map((p) => p.name));
  const done = new Set();
  const out = [];
  const visit = (p, trail) => {
    if (done.has(p.name)) return;
    if (trail.includes(p.name)) throw new RoundTripError(`dependency cycle: ${[...trail, p.name].join(' -> ')}`);
    for (const dep of Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies })) {
      if (names.has(dep)) visit(packages.find((q) => q.name === dep), [...trail, p.name]);
    }
    done.add(p.name);
    out.push(p);
  };
  for (const p of packages) visit(p, []);
  return out;
}

/**
 * Publishes the packages, all or nothing: refuses (nothing published) when one is unbuilt or its
 * version is already in the registry; when a publish fails, unpublishes those this run
 * published. Returns the published name@version list; throws RoundTripError with every reason.
 */
async function publishAll(registry, packages) {
  const problems = packages.map(unbuilt).filter(Boolean);
  for (const p of packages) {
    if ((await registryVersions(registry, p.name)).includes(p.version)) problems.push(`${p.name}@${p.version} is already in the registry (${registry.url}): a published version is never replaced; bump the versions (npx changeset version)`);
  }
  if (problems.length) throw new RoundTripError(`nothing published:\n  ${problems.join('\n  ')}`);
  const work = tempDir('mesh-publish-');
  fs.writeFileSync(path.join(work, '.npmrc'), npmrc(registry));
  const published = [];
  try {
    for (const p of dependencyOrder(packages)) {
      // Provenance needs the CI's OIDC token; release.yml publishes with it, a local registry cannot attest.
      const run = await exec('npm', ['publish', '--registry', registry.url, '--userconfig', path.join(work, '.npmrc'), '--provenance=false', '--access', 'public'], { cwd: p.dir, env: { ...process.env, npm_config_provenance: 'false' } });
      if (run.status !== 0) {
        const reason = `${(run.stderr || run.stdout || '').trim().split('\n').filter((l) => /error/i.test(l)).slice(0, 6).join('\n    ') || `exit ${run.status}`}`;
        const undone = [];
        for (const q of published.reverse()) {
          const un = await exec('npm', ['unpublish', q, '--force', '--registry', registry.url, '--userconfig', path.join(work, '.npmrc')], { cwd: work });
          undone.push(`${q}${un.status === 0 ? '' : ` (unpublish failed: ${un.stderr.trim().split('\n')[0]})`}`);
        }
        throw new RoundTripError(`publishing ${p.name}@${p.version} failed, so nothing stays published (unpublished: ${undone.join(', ') || 'none'}):\n    ${reason}`);
      }
      published.push(`${p.name}@${p.version}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return published;
}

/** Runs a command in a folder; throws with its output's tail when it fails. */
async function run(cmd, args, cwd) {
  const result = await exec(cmd, args, { cwd });
  if (result.status !== 0) throw new RoundTripError(`${cmd} ${args.join(' ')} failed (exit ${result.status}) in ${cwd}:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n')}`);
  return result;
}

/** The version of a package the repository installs (what its tests run against). */
const repoVersion = (name) => JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The README's complete app (the ```ts block that synthesizes), with cdk-nag's AwsSolutions checks added as infra/src/nag.ts does. */
function readmeApp() {
  const readme = fs.readFileSync(path.join(REPO, 'packages', 'cdk', 'README.md'), 'utf8');
  const block = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]).find((code) => code.includes('app.synth()'));
  if (!block) throw new RoundTripError('packages/cdk/README.md has no ```ts block with app.synth()');
  if (!/^const app = new App\(\);$/m.test(block) || !/^import \{ ([^}]*) \} from 'aws-cdk-lib';$/m.test(block)) throw new RoundTripError("the README's app no longer has `import { ... } from 'aws-cdk-lib'` and `const app = new App();`: update scripts/registry-roundtrip.js");
  return block
    .replace(/^import \{ ([^}]*) \} from 'aws-cdk-lib';$/m, "import { $1, Validations } from 'aws-cdk-lib';\nimport { AwsSolutionsChecks } from 'cdk-nag';")
    .replace(/^const app = new App\(\);$/m, 'const app = new App();\nValidations.of(app).addPlugins(new AwsSolutionsChecks(app));')
    .replace(
      /^app\.synth\(\);$/m,
      "// The control: with NAG_PROBE set, a queue cdk-nag must refuse (no SSL, no DLQ).\nif (process.env.NAG_PROBE) new aws_sqs.Queue(new Stack(app, 'NagProbe'), 'Unencrypted');\napp.synth();",
    )
    .replace(/^(import \{ [^}]*), Validations \} from 'aws-cdk-lib';$/m, '$1, Validations, aws_sqs } from \'aws-cdk-lib\';');
}

/** A copy of the example mesh (domains/, governance/, platform.yaml) in a folder. */
function copyMesh(into) {
  for (const entry of ['domains', 'governance', 'platform.yaml']) fs.cpSync(path.join(REPO, entry), path.join(into, entry), { recursive: true });
}

/** Resource types of a synthesized template, counted. */
function resourceTypes(templateFile) {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  const counts = {};
  for (const r of Object.values(template.Resources ?? {})) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

/** The consumer CDK app: install from the registry, compile, `cdk synth` with cdk-nag. */
async function consumerCdkApp(registry, version) {
  const dir = tempDir('mesh-consumer-cdk-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer-cdk-app', private: true, version: '0.0.0' }, null, 2));
  fs.writeFileSync(path.join(dir, '.npmrc'), npmrc(registry));
  const deps = [`@data-mesh/cdk@${version}`, `@data-mesh/spec@${version}`, ...['aws-cdk-lib', 'constructs', 'cdk-nag', 'typescript', '@types/node'].map((n) => `${n}@${repoVersion(n)}`), `aws-cdk@${awsCdkCliVersion()}`];
  const t0 = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...deps], dir);
  const installSeconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(dir, 'app.ts'), readmeApp());
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, types: ['node'], outDir: '.' }, files: ['app.ts'] }, null, 2),
  );
  await run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir);
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js', context: { '@aws-cdk/core:validationReportJson': true } }, null, 2));
  copyMesh(dir);
  const t1 = Date.now();
  const synth = await exec(path.join(dir, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', 'cdk.out'], {
    cwd: dir,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  const synthSeconds = (Date.now() - t1) / 1000;
  const probe = await exec(path.join(dir, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', 'probe.out'], {
    cwd: dir,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true', NAG_PROBE: '1' },
  });
  const probeRules = [...new Set(`${probe.stdout}\n${probe.stderr}`.match(/AwsSolutions-[A-Za-z0-9]+/g) ?? [])].sort();
  const out = path.join(dir, 'cdk.out');
  const reportFile = path.join(out, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined;
  const nag = (report?.pluginReports ?? []).map((p) => ({
    plugin: p.pluginName,
    status: p.summary?.status,
    violations: (p.violations ?? []).map((v) => `${v.ruleName}: ${(v.violatingResources ?? v.violatingConstructs ?? []).map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`),
  }));
  const templates = {};
  if (fs.existsSync(out)) for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.template.json'))) templates[f.replace(/\.template\.json$/, '')] = resourceTypes(path.join(out, f));
  const assets = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(out, f, 'index.js'))).length : 0;
  return { dir, installSeconds, synthSeconds, synthExit: synth.status, nagProbe: { exit: probe.status, rules: probeRules }, synthOutput: `${synth.stdout}\n${synth.stderr}`.trim().split('\n').slice(-30).join('\n'), nag, templates, lambdaAssets: assets, installed: deps };
}

/** The published CLI: install, `mesh validate` on a copy of domains/, and on a copy with a broken contract. */
async function consumerCli(registry, version) {
  const dir = tempDir('mesh-consumer-cli-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer-mesh', private: true, version: '0.0.0' }, null, 2));
  fs.writeFileSync(path.join(dir, '.npmrc'), npmrc(registry));
  const t0 = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `@data-mesh/cli@${version}`], dir);
  const installSeconds = (Date.now() - t0) / 1000;
  copyMesh(dir);
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.CI; // the CLI's output, not CI annotations
  const validate = await exec('npx', ['--no-install', 'mesh', 'validate', '--no-policy', '--format', 'json'], { cwd: dir, env });
  const broken = tempDir('mesh-consumer-broken-');
  copyMesh(broken);
  const spec = path.join(broken, 'domains', 'customer', 'customer-360', 'data-product.yaml');
  const text = fs.readFileSync(spec, 'utf8');
  fs.writeFileSync(spec, text.replace(/^(\s*)version:\s*.*$/m, '$1version: not-a-version'));
  const invalid = await exec(path.join(dir, 'node_modules', '.bin', 'mesh'), ['validate', '--no-policy', '--root', broken], { cwd: dir, env });
  fs.rmSync(broken, { recursive: true, force: true });
  // mesh synth runs the mesh repository's own infra app: outside a clone of the platform repository there is none
  const synth = await exec(path.join(dir, 'node_modules', '.bin', 'mesh'), ['synth'], { cwd: dir, env });
  const mesh = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '@data-mesh', 'cli', 'package.json'), 'utf8'));
  return {
    dir,
    installSeconds,
    cliVersion: mesh.version,
    infraInstalled: fs.existsSync(path.join(dir, 'node_modules', '@data-mesh', 'infra')),
    validate: { exit: validate.status, stdout: validate.stdout, stderr: validate.stderr },
    invalid: { exit: invalid.status, output: `${invalid.stdout}\n${invalid.stderr}` },
    synth: { exit: synth.status, output: `${synth.stdout}\n${synth.stderr}` },
  };
}

/** The whole round trip; the registry is stopped and the consumer folders removed before it returns. */
async function roundTrip({ keep = false } = {}) {
  const t0 = Date.now();
  const packages = publishablePackages();
  const versions = [...new Set(packages.map((p) => p.version))];
  if (versions.length !== 1) throw new RoundTripError(`the fixed group must share one version, found ${packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  const registry = await startRegistry();
  const result = { registry: registry.url };
  try {
    result.published = await publishAll(registry, packages);
    result.publishSeconds = (Date.now() - t0) / 1000;
    result.cdk = await consumerCdkApp(registry, versions[0]);
    result.cli = await consumerCli(registry, versions[0]);
  } finally {
    registry.stop();
    result.registryStopped = await new Promise((resolve) => {
      const deadline = Date.now() + 10_000;
      const check = () => {
        try {
          process.kill(registry.pid, 0);
          if (Date.now() > deadline) return resolve(false);
          setTimeout(check, 100);
        } catch {
          resolve(true);
        }
      };
      check();
    });
    for (const part of [result.cdk, result.cli]) {
      if (!part?.dir) continue;
      if (keep) temporary.delete(part.dir);
      else fs.rmSync(part.dir, { recursive: true, force: true });
    }
  }
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

module.exports = { RoundTripError, startRegistry, publishAll, publishablePackages, registryVersions, roundTrip, VERDACCIO_BIN };

if (require.main === module) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  roundTrip({ keep: process.argv.includes('--keep') })
    .then((r) => {
      if (process.argv.includes('--json')) {
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      console.log(`published ${r.published.length} packages to ${r.registry}: ${r.published.join(', ')}`);
      console.log(`consumer CDK app: install ${r.cdk.installSeconds.toFixed(1)} s, cdk synth exit ${r.cdk.synthExit} in ${r.cdk.synthSeconds.toFixed(1)} s, stacks ${Object.keys(r.cdk.templates).join(', ')}, cdk-nag findings ${r.cdk.nag.reduce((n, p) => n + p.violations.length, 0)}, cdk-nag on a queue it must refuse: exit ${r.cdk.nagProbe.exit} (${r.cdk.nagProbe.rules.join(', ')})`);
      console.log(`published CLI ${r.cli.cliVersion}: mesh validate exit ${r.cli.validate.exit}, broken contract exit ${r.cli.invalid.exit}, mesh synth without an infra app exit ${r.cli.synth.exit}`);
      console.log(`round trip ${r.seconds.toFixed(1)} s; registry stopped: ${r.registryStopped}`);
      const nagFindings = r.cdk.nag.reduce((n, p) => n + p.violations.length, 0);
      const ok = r.cdk.synthExit === 0 && nagFindings === 0 && r.cdk.nagProbe.exit !== 0 && r.cli.validate.exit === 0 && r.cli.invalid.exit === 1 && r.cli.synth.exit === 2 && r.registryStopped;
      if (!ok) {
        console.error(r.cdk.synthOutput);
        process.exitCode = 1;
      }
    })
    .catch((e) => {
      console.error(`registry-roundtrip: ${e instanceof RoundTripError ? e.message : e.stack}`);
      process.exitCode = 1;
    });
}
