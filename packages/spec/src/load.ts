import { parseAvro } from '@data-mesh/schema-compat';
import { decodeUtf8, parseYaml, SourceDocument, type ParseFailure } from './document';
import { checkSchema, type SchemaName } from './json-schema';
import { Mesh } from './mesh';
import {
  DEFAULT_COMPATIBILITY,
  type DataProduct,
  type DataProductSpec,
  type DomainMapSpec,
  type LineageEdge,
  type OutputPort,
  type PlatformSpec,
  type SchemaFile,
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
export function loadMesh(root: string, options: { source?: MeshSource; limits?: Partial<LoadLimits> } = {}): Mesh {
  const source = options.source ?? fileSystemSource(root);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const mesh = new Mesh(root);
  const loader = new Loader(mesh, source, limits);
  loader.loadDomainMap();
  loader.loadPlatform();
  loader.loadCodeowners();
  loader.loadProducts();
  return mesh;
}

class Loader {
  constructor(
    private readonly mesh: Mesh,
    private readonly source: MeshSource,
    private readonly limits: LoadLimits,
  ) {}

  loadDomainMap(): void {
    const document = this.readYaml(DOMAIN_MAP_FILE, 'domain-map', true);
    if (!document?.valid) return;
    const spec = document.document.data as DomainMapSpec;
    this.mesh.domainMap = { document: document.document, spec };
    for (const [name, entry] of Object.entries(spec.domains)) {
      this.mesh.domains.set(name, {
        name,
        ownerTeam: entry.owner_team,
        oncall: entry.oncall_pagerduty,
        sourceProducts: entry.source_products,
        consumerProducts: entry.consumer_products,
      });
    }
  }

  loadPlatform(): void {
    const read = this.readYaml(PLATFORM_FILE, 'platform', false);
    if (read?.valid) this.mesh.platform = { document: read.document, spec: read.document.data as PlatformSpec };
  }

  loadCodeowners(): void {
    const read = this.source.read(CODEOWNERS_FILE, this.limits.maxYamlBytes);
    if (read.kind !== 'ok') return;
    const decoded = decodeUtf8(read.bytes);
    if ('text' in decoded) this.mesh.codeowners = { file: CODEOWNERS_FILE, text: decoded.text };
  }

  loadProducts(): void {
    const domainEntries = this.source.list(DOMAINS_DIR) ?? [];
    for (const domainEntry of domainEntries) {
      if (domainEntry.kind !== 'dir') continue;
      const productFolders: string[] = [];
      for (const entry of this.source.list(`${DOMAINS_DIR}/${domainEntry.name}`) ?? []) {
        if (entry.kind === 'dir' && !RESERVED_DOMAIN_FOLDERS.includes(entry.name)) productFolders.push(entry.name);
      }
      this.mesh.domainFolders.push({ name: domainEntry.name, productFolders });
      for (const folder of productFolders) this.loadProduct(domainEntry.name, folder);
    }
    this.linkInputs();
  }

  private loadProduct(domain: string, folder: string): void {
    const file = `${DOMAINS_DIR}/${domain}/${folder}/${SPEC_FILE_NAME}`;
    const id = `${domain}/${folder}`;
    const unreadableBefore = this.mesh.unreadable.length;
    const read = this.readYaml(file, 'data-product', false);
    if (!read) {
      if (this.mesh.unreadable.length > unreadableBefore) this.mesh.unreadableProducts.add(id);
      return;
    }
    const { document } = read;
    const spec = document.data as DataProductSpec;
    const outputPorts: OutputPort[] = [];
    const product: DataProduct = { id, domain, name: folder, file, document, spec, outputPorts, inputs: [] };
    this.mesh.products.set(id, product);
    if (!read.valid) {
      this.mesh.invalidProducts.add(id);
      return;
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
        schemaFile: this.schemaFor(portSpec.schema),
        freshness: freshness.ok ? freshness.value : undefined,
        uptime: uptime.ok ? uptime.value : undefined,
      });
    });
  }

  private linkInputs(): void {
    for (const product of this.mesh.products.values()) {
      if (this.mesh.invalidProducts.has(product.id)) continue;
      const inputs = (product.spec.spec.inputPorts ?? []).map(
        (spec, index): LineageEdge => ({ consumer: product, index, spec, source: this.mesh.products.get(spec.sourceProduct) }),
      );
      (product as { inputs: readonly LineageEdge[] }).inputs = inputs;
    }
  }

  private schemaFor(reference: string): SchemaFile | undefined {
    const target = schemaFileFor(reference);
    if (!target) return undefined;
    const known = this.mesh.schemas.get(target.ref);
    if (known) return known;
    const schemaFile = this.readSchema(target.ref, target.file);
    this.mesh.schemas.set(target.ref, schemaFile);
    return schemaFile;
  }

  private readSchema(ref: string, file: string): SchemaFile {
    const text = this.readText(file, this.limits.maxSchemaBytes, false);
    if (text === undefined) return { ref, file };
    const parsed = parseAvro(text);
    const document = new SourceDocument(file, text, undefined);
    if (parsed.errors.length > 0 || !parsed.schema) {
      this.mesh.avroErrors.push({ document, errors: parsed.errors });
      return { ref, file, document };
    }
    return { ref, file, document, schema: parsed.schema };
  }

  /** Reads and parses a YAML file and checks it against its JSON Schema. */
  private readYaml(file: string, schema: SchemaName, required: boolean): { document: SourceDocument; valid: boolean } | undefined {
    const text = this.readText(file, this.limits.maxYamlBytes, required);
    if (text === undefined) return undefined;
    const parsed = parseYaml(file, text);
    if ('failure' in parsed) {
      this.unreadable(file, parsed.failure);
      return undefined;
    }
    const violations = checkSchema(schema, parsed.document.data);
    if (violations.length > 0) this.mesh.invalid.push({ document: parsed.document, violations });
    return { document: parsed.document, valid: violations.length === 0 };
  }

  private readText(file: string, maxBytes: number, required: boolean): string | undefined {
    const read = this.source.read(file, maxBytes);
    switch (read.kind) {
      case 'missing':
        if (required) this.unreadable(file, { message: `${file} is missing`, position: { line: 1, column: 1 } });
        return undefined;
      case 'too-large':
        this.unreadable(file, {
          message: `the file is ${read.size} bytes, above the limit of ${maxBytes} bytes, and was not read`,
          position: { line: 1, column: 1 },
          hint: 'a spec or schema this large is almost certainly a mistake',
        });
        return undefined;
      case 'outside-root':
        this.unreadable(file, { message: 'the path leads outside the repository (a symbolic link?) and was not read', position: { line: 1, column: 1 } });
        return undefined;
      case 'ok': {
        const decoded = decodeUtf8(read.bytes);
        if ('failure' in decoded) {
          this.unreadable(file, decoded.failure);
          return undefined;
        }
        return decoded.text;
      }
    }
  }

  private unreadable(file: string, failure: ParseFailure): void {
    this.mesh.unreadable.push({ file, failure });
  }
}
