import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMAIN_MAP_FILE, DOMAINS_DIR, schemaFileFor, SPEC_FILE_NAME, type DataProduct, type Diagnostic, type Mesh } from '@data-mesh/spec/core';
import { UsageError, type Io } from '../io';

const SPEC_PATH = /^domains\/([^/]+)\/([^/]+)\/data-product\.yaml$/;
const SCHEMA_PATH = /^domains\/[^/]+\/schemas\/[^/]+\.avsc$/;

/** What `mesh validate FILE...` named, relative to the root (forward slashes). */
export interface NamedFiles {
  readonly specs: ReadonlySet<string>;
  readonly schemas: ReadonlySet<string>;
  /** Folders (`''` for the root itself) and how they were named: every spec and schema under them. */
  readonly folders: readonly { readonly arg: string; readonly folder: string }[];
}

/**
 * Reads the FILE arguments of `mesh validate` (relative to the current folder): data-product
 * specs, Avro schemas of the mesh, the domain map, or folders of the mesh. Anything else, or a
 * path that does not exist or lies outside the root, is a usage error.
 */
export function nameFiles(io: Io, root: string, args: readonly string[]): NamedFiles {
  const specs = new Set<string>();
  const schemas = new Set<string>();
  const folders: { arg: string; folder: string }[] = [];
  for (const arg of args) {
    const absolute = path.resolve(io.cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`${arg}: no such file or folder`, 'name the data-product specs to validate, e.g. mesh validate domains/customer/customer-360/data-product.yaml');
    }
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    if (relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) {
      throw new UsageError(`${arg} is outside the mesh at ${root}`, 'name files of this mesh, or its root with --root DIR');
    }
    if (stat.isDirectory()) folders.push({ arg, folder: relative });
    else if (SPEC_PATH.test(relative)) specs.add(relative);
    else if (SCHEMA_PATH.test(relative)) schemas.add(relative);
    else if (relative !== DOMAIN_MAP_FILE) {
      throw new UsageError(
        `${arg} is not a data-product spec, an Avro schema or the domain map of the mesh`,
        `mesh validate reads ${DOMAINS_DIR}/<domain>/<product>/${SPEC_FILE_NAME}, ${DOMAINS_DIR}/<domain>/schemas/<subject>.avsc, ${DOMAIN_MAP_FILE} and folders holding them`,
      );
    }
  }
  return { specs, schemas, folders };
}

/** The files whose findings `mesh validate FILE...` reports, and how many products they hold. */
export interface Selection {
  readonly files: ReadonlySet<string>;
  readonly products: number;
  readonly domains: number;
}

/**
 * The named specs (those under the named folders too), the schemas they reference, the named
 * schemas and the specs whose ports reference them. A folder that holds no spec or schema of
 * the mesh is a usage error.
 */
export function selectFiles(mesh: Mesh, named: NamedFiles): Selection {
  const specFiles = new Set<string>();
  const schemaFiles = new Set(named.schemas);
  for (const product of mesh.products.values()) specFiles.add(product.file);
  for (const id of mesh.unreadableProducts) specFiles.add(`${DOMAINS_DIR}/${id}/${SPEC_FILE_NAME}`);
  const under = (folder: string, file: string) => folder === '' || file.startsWith(`${folder}/`);
  const specs = new Set(named.specs);
  for (const { arg, folder } of named.folders) {
    const inFolder = [...specFiles].filter((file) => under(folder, file));
    const schemasInFolder = [...mesh.schemas.values()].map((schema) => schema.file).filter((file) => under(folder, file));
    for (const file of inFolder) specs.add(file);
    for (const file of schemasInFolder) schemaFiles.add(file);
    if (inFolder.length + schemasInFolder.length === 0 && !under(folder, DOMAIN_MAP_FILE)) throw new UsageError(`${arg} holds no data-product spec or Avro schema of the mesh`);
  }
  // the spec as written: a product whose spec fails its JSON Schema is selected all the same
  const referenced = (product: DataProduct) => {
    const ports = (product.spec as { spec?: { outputPorts?: unknown } } | undefined)?.spec?.outputPorts;
    return (Array.isArray(ports) ? (ports as { schema?: unknown }[]) : []).flatMap((port) => {
      const target = typeof port?.schema === 'string' ? schemaFileFor(port.schema) : undefined;
      return target ? [target.file] : [];
    });
  };
  for (const product of mesh.products.values()) {
    const files = referenced(product);
    if (files.some((file) => named.schemas.has(file))) specs.add(product.file);
    if (specs.has(product.file)) for (const file of files) schemaFiles.add(file);
  }
  const domains = new Set([...specs].map((file) => SPEC_PATH.exec(file)?.[1]));
  return { files: new Set([...specs, ...schemaFiles]), products: specs.size, domains: domains.size };
}

/**
 * The findings `mesh validate FILE...` reports: those in the selected files, and those in the
 * files every product depends on (the domain map, and everything outside domains/: CODEOWNERS,
 * platform.yaml, governance/, the pinned tools). Another product's findings are left out.
 */
export function selectedDiagnostics(diagnostics: readonly Diagnostic[], selection: Selection): Diagnostic[] {
  return diagnostics.filter((d) => selection.files.has(d.file) || d.file === DOMAIN_MAP_FILE || !d.file.startsWith(`${DOMAINS_DIR}/`));
}
