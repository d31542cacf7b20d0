import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Command } from 'commander';
import { COMMANDS } from '../src/main';
import { mesh, REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'packages', 'cli');

/** The modules a run of the built CLI loaded (relative to the repository), in a fresh node. */
function modulesLoaded(args: string[]): string[] {
  const script = `const io = { cwd: ${JSON.stringify(REPO_ROOT)}, stdout() {}, stderr() {}, color: false };
require('./dist/main.js').main(${JSON.stringify(args)}, io).then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: CLI, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as string[]).map((m) => path.relative(REPO_ROOT, m).split(path.sep).join('/'));
}

describe('startup: a command module loads only when its command runs', () => {
  it('mesh --help loads no command module and none of the heavy packages', () => {
    const loaded = modulesLoaded(['--help']);
    expect(loaded.filter((m) => /\/commands\/|@data-mesh|packages\/(spec|policy|check|cdk|schema-compat)\/|aws-cdk-lib|\/ajv\//.test(m))).toEqual([]);
    expect(loaded.length).toBeLessThan(40);
  });

  it('mesh validate --help loads the validate command and no other', () => {
    const commands = modulesLoaded(['validate', '--help']).filter((m) => m.includes('/dist/commands/'));
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter((m) => !/\/commands\/validate(-files)?\.js$/.test(m))).toEqual([]);
  });

  it('mesh validate of a clean mesh loads no ajv compiler, no position-keeping YAML parser and not all of semver', () => {
    const loaded = modulesLoaded(['validate', '--no-policy', '--root', path.join(REPO_ROOT, 'packages', 'spec', 'test', 'fixtures', 'base')]);
    expect(loaded.some((m) => m.endsWith('packages/spec/dist/validate.js'))).toBe(true);
    // ajv's standalone validators from the build need only its small runtime helpers.
    expect(loaded.filter((m) => /\/ajv\/dist\/(?!runtime\/)/.test(m))).toEqual([]);
    expect(loaded.filter((m) => /\/node_modules\/yaml\//.test(m))).toEqual([]);
    expect(loaded.filter((m) => /\/node_modules\/semver\/(index|ranges|functions\/(?!major|diff|lt|parse|compare))/.test(m))).toEqual([]);    // @data-mesh/spec/core: the diff, the deploy plan and the quality compiler are not what validating needs.
    expect(loaded.filter((m) => /packages\/spec\/dist\/(index\.js|diff\/|deploy-plan\/|quality\/compile\/|incremental\/)/.test(m))).toEqual([]);
  });

  it('mesh --help lists every command with its summary', async () => {
    const run = await mesh(['--help']);
    expect(run.code).toBe(0);
    for (const { name, summary } of COMMANDS) expect(run.stdout.replace(/\s+/g, ' ')).toContain(`${name} ${summary}`);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('the module of %s registers that one command', async (name, entry) => {
    const program = new Command('mesh');
    (await entry.load())(program, { cwd: REPO_ROOT, stdout: () => undefined, stderr: () => undefined, color: false }, () => undefined);
    expect(program.commands.map((c) => c.name())).toEqual([name]);
  });

  it('mesh help <command> shows that command help', async () => {
    const run = await mesh(['help', 'validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--no-policy +skip the governance standards/);
  });
});
