import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCatalog, versionHistory } from '@data-mesh/catalog';
import { loadMesh } from '@data-mesh/spec';
import type { Command } from 'commander';
import { EXIT_CLEAN, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';

/** Marks a folder this command wrote, so that a rebuild may replace it (and nothing else). */
const MARKER = '.mesh-catalog';

interface CatalogBuildOptions {
  out?: string;
  baseUrl?: string;
  root?: string;
  history: boolean;
}

function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url ${value}: not an absolute URL`, 'e.g. --base-url https://example.github.io/data-mesh/');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--base-url ${value}: an http(s) URL is expected, not ${url.protocol}`);
  return url.href;
}

/**
 * An empty output folder. A previous build's folder (it holds the marker) is moved aside and
 * removed while the new site is written (the promise settles when it is gone); any other
 * non-empty folder is refused.
 */
function prepareOut(io: Io, out: string): Promise<void> {
  let removal: Promise<void> = Promise.resolve();
  if (!checkOut(io, out)) {
    const aside = `${out}.old-${process.pid}`;
    fs.renameSync(out, aside);
    removal = fs.promises.rm(aside, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  return removal;
}

/** Whether the output folder is new or empty (false: a previous build's); a usage error for a file or someone else's folder. */
function checkOut(io: Io, out: string): boolean {
  const shown = path.relative(io.cwd, out) || '.';
  if (!fs.existsSync(out)) return true;
  if (!fs.statSync(out).isDirectory()) throw new UsageError(`--out ${shown}: a file, not a folder`);
  const entries = fs.readdirSync(out);
  if (entries.length === 0) return true;
  if (!entries.includes(MARKER)) throw new UsageError(`--out ${shown}: the folder is not empty and was not written by mesh catalog build`, 'name an empty or new folder: the build replaces the whole folder');
  return false;
}

/** Files written at once: the disk works while the next pages are made. */
const WRITES_IN_FLIGHT = 32;

export function registerCatalog(program: Command, io: Io, setExit: (code: number) => void): void {
  const catalog = program.command('catalog').description('the data-product catalog: a static site to browse, search and consume the products');
  catalog
    .command('build')
    .description(
      'write the catalog site: an index with search, a page per domain and per product (ports, schema, SLAs, quality rules, lineage, consumers, version history from git, how to consume it). ' +
        'Static files with relative links: open index.html from disk, or serve the folder from any path. Exit 0 built, 2 usage.',
    )
    .option('--out <dir>', 'where to write the site (default: catalog-site in the root); replaced on each build')
    .option('--base-url <url>', 'the URL the site is published at, for canonical links only (links stay relative)')
    .option('--no-history', 'leave out the version history (no git log and diff per commit)')
    .addOption(rootOption())
    .action(async (options: CatalogBuildOptions) => {
      const root = resolveRoot(io, options.root);
      const base = baseUrl(options.baseUrl);
      const out = options.out === undefined ? path.join(root, 'catalog-site') : path.resolve(io.cwd, options.out);
      checkOut(io, out);
      // The catalog reads each port's schema itself, once (text and JSON); the loader need not.
      const mesh = loadMesh(root, { readSchemas: false });
      if (!mesh.domainMap) throw new UsageError('the domain map cannot be read', 'run `mesh validate` to see why');
      const history = options.history ? versionHistory(root) : undefined;
      const site = buildCatalog(mesh, { ...(base ? { baseUrl: base } : {}), ...(history ? { history } : {}) });
      const removal = prepareOut(io, out);
      fs.writeFileSync(path.join(out, MARKER), 'written by mesh catalog build: the next build replaces this folder\n');
      let bytes = 0;
      let count = 0;
      const folders = new Set<string>();
      const writing = new Set<Promise<void>>();
      for (const [file, content] of site.files) {
        const target = path.join(out, ...file.split('/'));
        const folder = path.dirname(target);
        if (!folders.has(folder)) {
          fs.mkdirSync(folder, { recursive: true });
          folders.add(folder);
        }
        const write: Promise<void> = fs.promises.writeFile(target, content).then(() => {
          writing.delete(write);
        });
        writing.add(write);
        if (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
        bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
        count++;
      }
      await Promise.all([...writing, removal]);
      for (const note of site.notes) io.stderr(`⚠ ${note}\n`);
      io.stdout(`✔ catalog: ${site.products} products in ${mesh.domains.size} domains, ${count} files (${(bytes / 1048576).toFixed(1)} MB) in ${path.relative(io.cwd, out) || '.'}; open ${path.join(path.relative(io.cwd, out) || '.', 'index.html')}\n`);
      setExit(EXIT_CLEAN);
    });
}
