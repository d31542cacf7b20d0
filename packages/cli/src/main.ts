import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check';
import { registerCodeowners } from './commands/codeowners';
import { registerCompat } from './commands/compat';
import { registerDiff } from './commands/diff';
import { registerNew } from './commands/new';
import { registerPlan } from './commands/plan';
import { registerPolicy } from './commands/policy';
import { registerSynth } from './commands/synth';
import { registerValidate } from './commands/validate';
import { EXIT_CLEAN, EXIT_USAGE, UsageError, processIo, type Io } from './io';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** Every command of `mesh`, each in its own module. */
const COMMANDS: readonly Register[] = [registerValidate, registerNew, registerCompat, registerDiff, registerPolicy, registerSynth, registerPlan, registerCheck, registerCodeowners];

/** The version of @data-mesh/cli (its package.json, beside src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
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
  for (const register of COMMANDS) register(program, io, (code) => (exitCode = code));
  try {
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
