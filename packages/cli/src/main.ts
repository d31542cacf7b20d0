import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_CLEAN, EXIT_USAGE, UsageError, processIo, type Io } from './io';

export type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** A command of `mesh`: its name, its line in `mesh --help`, and its module, loaded only when the command runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Register>;
}

/**
 * Every command of `mesh`, each in its own module. Only the module of the command being run is
 * loaded (with what it imports: the spec package, aws-cdk-lib, the policies...), so `mesh --help`
 * and a one-product `mesh validate` start fast; the others are listed by name and summary.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', summary: 'validate the domain map, the specs, their schemas and the governance standards', load: async () => (await import('./commands/validate')).registerValidate },
  { name: 'new', summary: 'scaffold a data product (spec, Avro schema, domain-map entry), valid as written', load: async () => (await import('./commands/new')).registerNew },
  { name: 'compat', summary: 'check a new Avro schema against earlier versions under a compatibility mode', load: async () => (await import('./commands/compat')).registerCompat },
  { name: 'diff', summary: 'breaking changes, consumer impact and version bumps since a base revision', load: async () => (await import('./commands/diff')).registerDiff },
  { name: 'policy', summary: 'governance policies: run their tests, evaluate a decision', load: async () => (await import('./commands/policy')).registerPolicy },
  { name: 'synth', summary: 'synthesize CloudFormation for the platform, every domain and the decision function', load: async () => (await import('./commands/synth')).registerSynth },
  { name: 'plan', summary: 'what the merge would deploy: the stacks a change reaches, diffed base to head', load: async () => (await import('./commands/plan')).registerPlan },
  { name: 'check', summary: 'what the pull-request Action runs: validate, diff, policies, probes', load: async () => (await import('./commands/check')).registerCheck },
  { name: 'codeowners', summary: 'write .github/CODEOWNERS from the domain map and platform.yaml', load: async () => (await import('./commands/codeowners')).registerCodeowners },
  { name: 'quality', summary: "run a product's quality rules on data files (DuckDB), or export them as GX, DQDL or SQL", load: async () => (await import('./commands/quality')).registerQuality },
  { name: 'parity', summary: "compare a central pipeline's output with the domain product replacing it (DuckDB): missing rows, mismatches, verdict", load: async () => (await import('./commands/parity')).registerParity },
  { name: 'catalog', summary: 'build the data-product catalog: a static site with search, product pages, lineage and consumer snippets', load: async () => (await import('./commands/catalog')).registerCatalog },
  { name: 'export', summary: "write a product's contract as ODCS v3.1 (mesh export odcs <domain>/<product>)", load: async () => (await import('./commands/odcs')).registerExport },
  { name: 'import', summary: 'read an ODCS v3 contract into a data product and its Avro schemas (mesh import odcs FILE)', load: async () => (await import('./commands/odcs')).registerImport },
  { name: 'explain', summary: 'what a finding code checks, with a failing and a passing example', load: async () => (await import('./commands/explain')).registerExplain },
];

/** The version of @data-mesh/cli (its package.json, beside src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command the arguments run (`mesh help X` runs X's help): the first one not an option. */
function commandName(argv: readonly string[]): string | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  return first === 'help' ? argv[argv.indexOf('help') + 1] : first;
}

/** Runs `mesh` with the given arguments and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = new Command('mesh')
    .description('data mesh platform as code: validate, check compatibility, diff, evaluate policies, synthesize')
    .version(cliVersion(), '-V, --version', 'print the version of mesh')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `mesh --help` for usage)');
  try {
    const name = commandName(argv);
    for (const entry of COMMANDS) {
      if (entry.name === name) (await entry.load())(program, io, (code) => (exitCode = code));
      else program.command(entry.name).summary(entry.summary);
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`mesh: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return EXIT_USAGE;
    }
    io.stderr(`mesh: internal error: ${error instanceof Error ? error.message : String(error)}\n  please report this with the command you ran\n`);
    return EXIT_USAGE;
  }
}
