import { DEFAULT_MAX_SCHEMA_LENGTH, fieldTableOf, fieldTableOfJson, parseAvro, parseAvroJson, type AvroSchema, type FieldTable, type ParseResult } from '@data-mesh/schema-compat';
import { decodeUtf8, parseYaml, SourceDocument, type ParseFailure } from './document';
import { checkSchema, type SchemaName } from './json-schema';
import { topLevelFieldsOf, topLevelFieldsOfJson } from './lifecycle-fields';
import { Mesh } from './mesh';
import { salvage } from './salvage';
import {
  DEFAULT_COMPATIBILITY,
  type DataProduct,
  type DataProductSpec,
  type DomainMapSpec,
  type LineageEdge,
  type OutputPort,
  type PlatformSpec,
  type SchemaFile,
  type TopLevelField,
} from './model';
import { parseFreshness, parseUptime } from './sla';
import { fileSystemSource, type MeshSource } from './source';

export const DOMAINS_DIR = 'domains';
export const DOMAIN_MAP_FILE = `${DOMAINS_DIR}/domain-map.yaml`;
export const SPEC_FILE_NAME = 'data-product.yaml';
export const PLATFORM_FILE = 'platform.yaml';
export const CODEOWNERS_FILE = '.github/CODEOWNERS';
/** Folder names inside a domain that are not products. */
export const RESERVED_DOMAIN_FOLDERS: readonly string[] = ['schemas', 'policies'];

export interface LoadLimits {
  /** Largest spec or map file read, in bytes. Default: 1 MiB. */
  readonly maxYamlBytes: number;
  /** Largest Avro schema file read, in bytes. Default: 2 MiB. */
  readonly maxSchemaBytes: number;
}

export const DEFAULT_LIMITS: LoadLimits = { maxYamlBytes: 1 << 20, maxSchemaBytes: 2 << 20 };

export interface LoadOptions {
  /** Where to read from. Default: the file system under the root. */
  readonly source?: MeshSource;
  readonly limits?: Partial<LoadLimits>;
  /** List the domain and product folders (what validation needs; a diff does not). Default: true. */
  readonly listFolders?: boolean;
  /**
   * Read the Avro schemas the ports reference. Default: true. Without them a port has no
   * schema file: enough for the rules that look across products (lineage, SLAs, names), not
   * for the schema rules; `attachSchemas` reads them later for the products that need them.
   */
  readonly readSchemas?: boolean;
}

/** A product folder to load. */
export interface ProductLocation {
  readonly domain: string;
  readonly folder: string;
}

const SCHEMA_REF = /^schema-registry:\/\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/([a-z][a-z0-9_]*)$/;

/** `domains/<domain>/schemas/<subject>.avsc` for a `schema-registry://<domain>/<subject>` reference. */
export function schemaFileFor(reference: string): { ref: string; file: string } | undefined {
  const match = SCHEMA_REF.exec(reference);
  if (!match) return undefined;
  return { ref: `${match[1]}/${match[2]}`, file: `${DOMAINS_DIR}/${match[1]}/schemas/${match[2]}.avsc` };
}

/**
 * Reads a mesh: the domain map, every product folder and spec, and every Avro schema a port
 * references. Never throws on bad input: what cannot be read is recorded on the mesh for the
 * rules to report.
 */
export function loadMesh(root: string, options: LoadOptions = {}): Mesh {
  const mesh = loadMeshFrame(root, options);
  loadProducts(mesh, productLocations(mesh), options);
  linkMesh(mesh);
  return mesh;
}

/** The mesh without its products: the domain map, platform settings, CODEOWNERS and the folders. */
export function loadMeshFrame(root: string, options: LoadOptions = {}): Mesh {
  const source = options.source ?? fileSystemSource(root);
  const mesh = new Mesh(root, source);
  const reader = new FileReader(mesh, source, { ...DEFAULT_LIMITS, ...options.limits });
  const map = reader.readYaml(DOMAIN_MAP_FILE, 'domain-map', true);
  if (map?.valid) {
    const spec = map.document.data as DomainMapSpec;
    mesh.domainMap = { document: map.document, spec };
    for (const [name, entry] of Object.entries(spec.domains)) {
      mesh.domains.set(name, {
        name,
        ownerTeam: entry.owner_team,
        oncall: entry.oncall_pagerduty,
        sourceProducts: entry.source_products,
        consumerProducts: entry.consumer_products,
      });
    }
  }
  const platform = reader.readYaml(PLATFORM_FILE, 'platform', false);
  if (platform?.valid) mesh.platform = { document: platform.document, spec: platform.document.data as PlatformSpec };
  const codeowners = source.read(CODEOWNERS_FILE, DEFAULT_LIMITS.maxYamlBytes);
  if (codeowners.kind === 'ok') {
    const decoded = decodeUtf8(codeowners.bytes);
    if ('text' in decoded) mesh.codeowners = { file: CODEOWNERS_FILE, text: decoded.text };
  }
  if (options.listFolders === false) return mesh;
  for (const domainEntry of source.list(DOMAINS_DIR) ?? []) {
    if (domainEntry.kind !== 'dir') continue;
    const productFolders: string[] = [];
    for (const entry of source.list(`${DOMAINS_DIR}/${domainEntry.name}`) ?? []) {
      if (entry.kind === 'dir' && !RESERVED_DOMAIN_FOLDERS.includes(entry.name)) productFolders.push(entry.name);
    }
    mesh.domainFolders.push({ name: domainEntry.name, productFolders });
  }
  return mesh;
}

/** Every product folder of the mesh, in folder order. */
export function productLocations(mesh: Mesh): ProductLocation[] {
  return mesh.domainFolders.flatMap((d) => d.productFolders.map((folder) => ({ domain: d.name, folder })));
}

/** Reads the specs of some product folders, and the schemas their ports reference, into the mesh. */
export function loadProducts(mesh: Mesh, locations: readonly ProductLocation[], options: LoadOptions = {}): void {
  const reader = new FileReader(mesh, options.source ?? mesh.source, { ...DEFAULT_LIMITS, ...options.limits });
  for (const { domain, folder } of locations) {
    const id = `${domain}/${folder}`;
    const file = `${DOMAINS_DIR}/${domain}/${folder}/${SPEC_FILE_NAME}`;
    const unreadableBefore = mesh.unreadable.length;
    const read = reader.readYaml(file, 'data-product', false);
    if (!read) {
      if (mesh.unreadable.length > unreadableBefore) mesh.unreadableProducts.add(id);
      continue;
    }
    addProduct(mesh, { id, domain, name: folder, file, document: read.document, valid: read.valid }, (ref) => (options.readSchemas === false ? undefined : reader.schemaFor(ref)));
  }
}

/** Reads the schemas of products loaded with `readSchemas: false`, for the ports that have none yet. */
export function attachSchemas(mesh: Mesh, products: Iterable<DataProduct>, options: LoadOptions = {}): void {
  const reader = new FileReader(mesh, options.source ?? mesh.source, { ...DEFAULT_LIMITS, ...options.limits });
  for (const product of products) {
    for (const port of product.outputPorts) {
      if (port.schemaFile === undefined) (port as { schemaFile?: SchemaFile }).schemaFile = reader.schemaFor(port.spec.schema);
    }
  }
}

/** A read spec, before it becomes a product of the mesh. */
export interface ProductRecord {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  readonly file: string;
  readonly document: SourceDocument;
  /** Whether the spec passed its JSON Schema. */
  readonly valid: boolean;
}

/**
 * Adds a read spec to the mesh; a spec that failed its JSON Schema is kept but marked invalid,
 * and salvaged (its broken nodes taken out) for the rules when what is left is usable.
 */
export function addProduct(mesh: Mesh, record: ProductRecord, schemaFor: (reference: string) => SchemaFile | undefined): DataProduct {
  const salvaged = record.valid ? undefined : salvage('data-product', record.document.data, checkSchema('data-product', record.document.data));
  // A salvaged spec's rules see the document without its broken nodes, positioned in the original text.
  const document = salvaged ? new SourceDocument(record.file, record.document.text, salvaged.data, salvaged.original) : record.document;
  const spec = document.data as DataProductSpec;
  const outputPorts: OutputPort[] = [];
  const product: DataProduct = { ...record, document, spec, outputPorts, inputs: [] };
  mesh.products.set(record.id, product);
  if (!record.valid) {
    mesh.invalidProducts.add(record.id);
    if (!salvaged) return product;
    mesh.salvagedProducts.set(record.id, salvaged);
  }
  spec.spec.outputPorts.forEach((portSpec, index) => {
    const freshness = parseFreshness(portSpec.sla.freshness);
    const uptime = parseUptime(portSpec.sla.uptime);
    outputPorts.push({
      product,
      index,
      spec: portSpec,
      name: portSpec.name,
      compatibility: portSpec.compatibility ?? DEFAULT_COMPATIBILITY,
      schemaFile: schemaFor(portSpec.schema),
      freshness: freshness.ok ? freshness.value : undefined,
      uptime: uptime.ok ? uptime.value : undefined,
    });
  });
  return product;
}

/** Connects every product's input ports to their source products. */
export function linkMesh(mesh: Mesh): void {
  for (const product of mesh.products.values()) {
    if (!mesh.isJudged(product.id)) continue;
    const inputs = (product.spec.spec.inputPorts ?? []).map(
      (spec, index): LineageEdge => ({ consumer: product, index, spec, source: mesh.products.get(spec.sourceProduct) }),
    );
    (product as { inputs: readonly LineageEdge[] }).inputs = inputs;
  }
}

/**
 * A schema file as the loader keeps it: its status and field table. The parsed schema is
 * not kept (on a large mesh the parsed schemas would dominate memory); it is parsed again
 * from the source on first use.
 */
export class LoadedSchemaFile implements SchemaFile {
  private parsed?: { schema?: AvroSchema };

  constructor(
    readonly ref: string,
    readonly file: string,
    readonly status: SchemaFile['status'],
    readonly fields: FieldTable | undefined,
    private readonly source: MeshSource,
    private readonly maxBytes: number,
    readonly topFields?: readonly TopLevelField[],
  ) {}

  get schema(): AvroSchema | undefined {
    if (this.status !== 'ok') return undefined;
    if (!this.parsed) {
      const text = this.text;
      this.parsed = { schema: text === undefined ? undefined : parseAvro(text).schema };
    }
    return this.parsed.schema;
  }

  get text(): string | undefined {
    if (this.status !== 'ok') return undefined;
    const read = this.source.read(this.file, this.maxBytes);
    const decoded = read.kind === 'ok' ? decodeUtf8(read.bytes) : undefined;
    return decoded && 'text' in decoded ? decoded.text : undefined;
  }
}

class FileReader {
  constructor(
    private readonly mesh: Mesh,
    private readonly source: MeshSource,
    private readonly limits: LoadLimits,
  ) {}

  schemaFor(reference: string): SchemaFile | undefined {
    const target = schemaFileFor(reference);
    if (!target) return undefined;
    const known = this.mesh.schemas.get(target.ref);
    if (known) return known;
    const schemaFile = this.readSchema(target.ref, target.file);
    this.mesh.schemas.set(target.ref, schemaFile);
    return schemaFile;
  }

  private readSchema(ref: string, file: string): SchemaFile {
    const make = (status: SchemaFile['status'], fields?: FieldTable, topFields?: readonly TopLevelField[]) => new LoadedSchemaFile(ref, file, status, fields, this.source, this.limits.maxSchemaBytes, topFields);
    const read = this.readText(file, this.limits.maxSchemaBytes, false);
    if (read.kind !== 'ok') return make(read.kind);
    // Most schemas are valid: their field table comes straight from the JSON, and the typed
    // model is built (by the full parser, which also words every error) only when that
    // shortcut cannot vouch for the schema.
    let json: unknown;
    let parsed: ParseResult | undefined;
    if (read.text.length <= DEFAULT_MAX_SCHEMA_LENGTH) {
      try {
        json = JSON.parse(read.text);
      } catch {
        parsed = parseAvro(read.text);
      }
      if (!parsed) {
        const fields = fieldTableOfJson(json);
        if (fields) return make('ok', fields, topLevelFieldsOfJson(json));
        parsed = parseAvroJson(json);
      }
    } else parsed = parseAvro(read.text);
    if (parsed.errors.length > 0 || !parsed.schema) {
      this.mesh.avroErrors.push({ document: new SourceDocument(file, read.text, undefined), errors: parsed.errors });
      return make('invalid');
    }
    return make('ok', fieldTableOf(parsed.schema), topLevelFieldsOf(parsed.schema));
  }

  /** Reads and parses a YAML file and checks it against its JSON Schema. */
  readYaml(file: string, schema: SchemaName, required: boolean): { document: SourceDocument; valid: boolean } | undefined {
    const read = this.readText(file, this.limits.maxYamlBytes, required);
    if (read.kind !== 'ok') return undefined;
    const parsed = parseYaml(file, read.text);
    if ('failure' in parsed) {
      this.unreadable(file, parsed.failure);
      return undefined;
    }
    const violations = checkSchema(schema, parsed.document.data);
    if (violations.length > 0) this.mesh.invalid.push({ document: parsed.document, violations });
    return { document: parsed.document, valid: violations.length === 0 };
  }

  private readText(file: string, maxBytes: number, required: boolean): { kind: 'ok'; text: string } | { kind: 'missing' | 'unreadable' } {
    const read = this.source.read(file, maxBytes);
    switch (read.kind) {
      case 'missing':
        if (required) this.unreadable(file, { message: `${file} is missing`, position: { line: 1, column: 1 } });
        return { kind: 'missing' };
      case 'too-large':
        this.unreadable(file, {
          message: `the file is ${read.size} bytes, above the limit of ${maxBytes} bytes, and was not read`,
          position: { line: 1, column: 1 },
          hint: 'a spec or schema this large is almost certainly a mistake',
        });
        return { kind: 'unreadable' };
      case 'outside-root':
        this.unreadable(file, { message: 'the path leads outside the repository (a symbolic link?) and was not read', position: { line: 1, column: 1 } });
        return { kind: 'unreadable' };
      case 'ok': {
        const decoded = decodeUtf8(read.bytes);
        if ('failure' in decoded) {
          this.unreadable(file, decoded.failure);
          return { kind: 'unreadable' };
        }
        return { kind: 'ok', text: decoded.text };
      }
    }
  }

  private unreadable(file: string, failure: ParseFailure): void {
    this.mesh.unreadable.push({ file, failure });
  }
}
