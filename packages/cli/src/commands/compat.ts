import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkCompatibility, COMPATIBILITY_MODES, DEFAULT_COMPATIBILITY_MODE, parseAvro, type AvroSchema, type CompatibilityMode } from '@data-mesh/schema-compat';
import { Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';

const MAX_SCHEMA_BYTES = 4 << 20;

function readSchema(io: Io, file: string): AvroSchema {
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    if (fs.statSync(full).size > MAX_SCHEMA_BYTES) throw new UsageError(`${file}: larger than ${MAX_SCHEMA_BYTES} bytes; not an Avro schema`);
    text = fs.readFileSync(full, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: cannot be read`);
  }
  const parsed = parseAvro(text);
  if (!parsed.schema) {
    const first = parsed.errors[0];
    const where = first?.jsonPath.length ? ` at ${first.jsonPath.join('.')}` : '';
    throw new UsageError(`${file} is not a valid Avro schema${where}: ${first?.message ?? 'unknown error'}`, parsed.errors.length > 1 ? `(${parsed.errors.length - 1} more problems)` : undefined);
  }
  return parsed.schema;
}

export function registerCompat(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('compat')
    .description('check a new Avro schema against earlier versions under a compatibility mode')
    .requiredOption('--schema <file>', 'the new schema (.avsc)')
    .option('--previous <file>', 'an earlier version, oldest first; repeat for more', (value: string, list: string[]) => [...list, value], [] as string[])
    .addOption(new Option('--mode <mode>', 'compatibility mode, with Confluent Schema Registry meaning').choices([...COMPATIBILITY_MODES]).default(DEFAULT_COMPATIBILITY_MODE))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { schema: string; previous: string[]; mode: CompatibilityMode; format: 'text' | 'json' }) => {
      if (options.previous.length === 0) throw new UsageError('--previous is required: name at least one earlier version of the schema');
      const next = readSchema(io, options.schema);
      const previous = options.previous.map((file) => ({ name: file, schema: readSchema(io, file) }));
      const report = checkCompatibility(next, previous, options.mode);
      if (options.format === 'json') {
        io.stdout(`${JSON.stringify({ compatible: report.compatible, mode: report.mode, incompatibilities: report.incompatibilities.map((i) => ({ previous: i.previous, kind: i.kind, path: i.path, message: i.message })) })}\n`);
      } else if (report.compatible) {
        io.stdout(`✔ ${options.schema} is ${report.mode} compatible with ${previous.length} earlier version${previous.length === 1 ? '' : 's'}\n`);
      } else {
        for (const i of report.incompatibilities) io.stdout(`${i.previous}  ${i.kind}  ${i.path}\n  ${i.message}\n`);
        io.stdout(`✖ ${options.schema} is not ${report.mode} compatible: ${report.incompatibilities.length} incompatibilit${report.incompatibilities.length === 1 ? 'y' : 'ies'}\n`);
      }
      setExit(report.compatible ? EXIT_CLEAN : EXIT_FINDINGS);
    });
}
