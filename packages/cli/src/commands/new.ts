import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMAIN_MAP_FILE, loadMesh, scaffoldProduct, type ScaffoldFile } from '@data-mesh/spec';
import type { Command } from 'commander';
import { EXIT_CLEAN, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';

/**
 * `mesh new <domain>/<product> [--source|--consumer]`: the spec, an Avro schema and the domain
 * map entry of a new product, valid as written (`mesh validate` passes on the first run). Never
 * overwrites: an existing product, folder or schema is a usage error, and so is a domain that
 * is not in the map (its owner team and on-call are the platform team's to add).
 */
export function registerNew(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('new')
    .description('scaffold a data product: its spec, an Avro schema and its entry in the domain map, valid as written')
    .argument('<domain/product>', 'where the product goes, e.g. payments/refund-events-v1 (a name ending in v<N> starts at version N.0.0)')
    .option('--source', 'a source product: raw events from your systems, on a stream port (the default)')
    .option('--consumer', 'a consumer product: aggregated or joined data, in a batch (Iceberg) table')
    .addOption(rootOption())
    .action((name: string, options: { source?: boolean; consumer?: boolean; root?: string }) => {
      if (options.source && options.consumer) throw new UsageError('--source and --consumer exclude each other', 'a source product publishes raw events; a consumer product aggregates or joins other products');
      const parts = /^([^/]*)\/([^/]*)$/.exec(name);
      if (!parts) throw new UsageError(`"${name}" is not <domain>/<product>`, 'e.g. mesh new payments/refund-events-v1');
      const [, domain, product] = parts as unknown as [string, string, string];
      const root = resolveRoot(io, options.root);
      const kind = options.consumer ? 'consumer' : 'source';
      const result = scaffoldProduct(loadMesh(root), { domain, product, kind });
      if (!result.ok) throw new UsageError(result.message, result.hint);
      write(root, result.files);
      const shown = (file: string) => path.relative(io.cwd, path.join(root, file)) || '.';
      io.stdout(
        `created ${shown(result.specFile)}\ncreated ${shown(result.schemaFile)}\n` +
          `added ${product} to the ${kind === 'source' ? 'source_products' : 'consumer_products'} of ${domain} in ${shown(DOMAIN_MAP_FILE)}\n\n` +
          `Fill in the TODOs (the description, the schema's fields, quality rules, governance), then run\n  mesh validate ${shown(result.specFile)}\n`,
      );
      setExit(EXIT_CLEAN);
    });
}

/** Creates the new files (never over an existing one) and then replaces the domain map; on a failure, removes what it created. */
function write(root: string, files: readonly ScaffoldFile[]): void {
  const created: string[] = [];
  try {
    for (const { file, content } of files.filter((f) => f.create)) {
      const full = path.join(root, file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content, { flag: 'wx' });
      created.push(full);
    }
    for (const { file, content } of files.filter((f) => !f.create)) {
      const full = path.join(root, file);
      const temporary = `${full}.mesh-new-${process.pid}`;
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, full);
    }
  } catch (error) {
    for (const full of created.reverse()) fs.rmSync(full, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write the new product: ${code === 'EEXIST' ? `${(error as { path?: string }).path ?? 'a file'} exists already` : (error as Error).message}`);
  }
}
