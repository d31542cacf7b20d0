import { listFields, parseAvro, type AvroSchema } from '@data-mesh/schema-compat';
import semverDiff from 'semver/functions/diff';
import semverLt from 'semver/functions/lt';
import { decodeUtf8, SourceDocument } from '../document';
import { resolveInPorts } from '../fields';
import { DEFAULT_LIMITS } from '../load';
import type { Mesh } from '../mesh';
import type { DataProduct, LineageEdge, OutputPort } from '../model';
import type { Finding } from '../rules/rule';
import { fileHistory, readObjects } from './git';
import type { Revisions } from './revisions';
import type { ConsumerImpact, SafeChange, VersionBump } from './types';

/** A consumer of a base port, and the fields it reads there (as paths of the base schema). */
export interface PortReader {
  readonly edge: LineageEdge;
  readonly fields: readonly { readonly ref: string; readonly path: string }[];
}

/** What a change rule reports into. */
export interface ChangeSink {
  report(finding: Finding): void;
  /** Records a change that breaks consumers (the product then needs a major bump). */
  breaking(description: string): void;
  /** Records a change that adds to the contract (a minor bump). */
  additive(description: string): void;
  governance(description: string): void;
  impact(impact: ConsumerImpact): void;
  safe(change: SafeChange): void;
  /** What the rules before found: counts of breaking and additive changes, and whether anything changed. */
  tally(): { breaking: number; additive: number; changed: boolean };
  version(required: VersionBump, made: VersionBump): void;
}

/** A changed product, on both sides of the diff. */
export class ProductPair {
  constructor(
    readonly revisions: Revisions,
    readonly id: string,
    /** Undefined when the product is new. */
    readonly base: DataProduct | undefined,
    /** Undefined when the product was removed. */
    readonly head: DataProduct | undefined,
    readonly now: Date,
  ) {}

  get headMesh(): Mesh {
    return this.revisions.head;
  }

  /**
   * The head has no spec for the product: it was deleted. Not so for one whose head spec is
   * there but invalid or unreadable (its own findings say why; it is not diffed).
   */
  deleted(): boolean {
    const head = this.revisions.head;
    return this.base !== undefined && !head.products.has(this.id) && !head.unreadableProducts.has(this.id);
  }

  /** Valid head products that read this product. */
  consumers(): readonly LineageEdge[] {
    return this.revisions.head.consumersOf(this.id).filter((edge) => !this.revisions.head.invalidProducts.has(edge.consumer.id));
  }

  /** Who reads a base port, and which of its fields. */
  readersOf(port: OutputPort): PortReader[] {
    const basePorts = this.base?.outputPorts ?? [];
    const readers: PortReader[] = [];
    for (const edge of this.consumers()) {
      if (edge.spec.port !== undefined && edge.spec.port !== port.name) continue;
      const candidates = edge.spec.port !== undefined ? [port] : basePorts;
      const fields: { ref: string; path: string }[] = [];
      for (const ref of edge.spec.fields) {
        const found = resolveInPorts(candidates, ref);
        if (found.ok && found.port === port) fields.push({ ref, path: found.path });
      }
      if (fields.length > 0 || edge.spec.port === port.name) readers.push({ edge, fields });
    }
    return readers;
  }

  team(productId: string): { team: string; oncall: string } {
    const domain = this.revisions.head.domains.get(productId.split('/')[0] as string);
    return { team: domain?.ownerTeam ?? 'unknown team', oncall: domain?.oncall ?? 'unknown on-call' };
  }
}

/** A port of a changed product that exists on both sides. */
/** What the clone holds of a schema file's history. */
export interface SchemaHistory {
  /** The schema file, relative to the mesh root (undefined when the port has none). */
  readonly file?: string;
  /** The versions that could be read and parse, oldest first. */
  readonly versions: readonly { readonly name: string; readonly schema: AvroSchema }[];
  /** Shallow or grafted commits holding the file whose parents are not in the clone: earlier versions may be unseen. */
  readonly cutAt: readonly string[];
  /** Commits whose version of the file is not in the clone (a partial clone that could not fetch it). */
  readonly unreadable: readonly string[];
}

export class PortPair {
  private historyRead?: SchemaHistory;
  private fieldChanges?: { removed: string[]; retyped: Map<string, { from: string; to: string }>; added: string[] };
  private headSchemaDocument?: SourceDocument;

  constructor(
    readonly product: ProductPair,
    readonly base: OutputPort,
    readonly head: OutputPort,
  ) {}

  /** The text of the port's schema on each side, when it reads. */
  private schemaText(mesh: Mesh, port: OutputPort): string | undefined {
    const file = port.schemaFile;
    if (!file || file.status !== 'ok') return undefined;
    const read = mesh.source.read(file.file, DEFAULT_LIMITS.maxSchemaBytes);
    if (read.kind !== 'ok') return undefined;
    const decoded = decodeUtf8(read.bytes);
    return 'text' in decoded ? decoded.text : undefined;
  }

  /** Both schemas, when both parse and they differ. */
  schemas(): { base: AvroSchema; head: AvroSchema } | undefined {
    const baseText = this.schemaText(this.product.revisions.base, this.base);
    const headText = this.schemaText(this.product.revisions.head, this.head);
    if (baseText === undefined || headText === undefined || baseText === headText) return undefined;
    const base = this.base.schemaFile?.schema;
    const head = this.head.schemaFile?.schema;
    if (!base || !head) return undefined;
    this.headSchemaDocument ??= new SourceDocument(this.head.schemaFile!.file, headText, undefined);
    return { base, head };
  }

  /** The head schema file as a document, for positions inside it. */
  headSchema(): SourceDocument | undefined {
    this.schemas();
    return this.headSchemaDocument;
  }

  /** Fields removed, retyped and added between the base and head schemas. */
  fields(): { removed: string[]; retyped: Map<string, { from: string; to: string }>; added: string[] } {
    if (!this.fieldChanges) {
      const schemas = this.schemas();
      const removed: string[] = [];
      const added: string[] = [];
      const retyped = new Map<string, { from: string; to: string }>();
      if (schemas) {
        const before = new Map(listFields(schemas.base).map((f) => [f.path, f.type]));
        const after = new Map(listFields(schemas.head).map((f) => [f.path, f.type]));
        for (const [path, type] of before) {
          const now = after.get(path);
          if (now === undefined) removed.push(path);
          else if (now !== type) retyped.set(path, { from: type, to: now });
        }
        for (const path of after.keys()) if (!before.has(path)) added.push(path);
      }
      this.fieldChanges = { removed, retyped, added };
    }
    return this.fieldChanges;
  }

  /** Every version of the base port's schema file in the base branch's history, oldest first. */
  history(): readonly { readonly name: string; readonly schema: AvroSchema }[] {
    return this.schemaHistory().versions;
  }

  /**
   * The versions of the base port's schema file (renames followed, versions before a deletion
   * included), and what of its history this clone does not hold: the shallow or grafted commits
   * at which it is cut while the file exists there, and versions whose content is not in a
   * partial clone.
   */
  schemaHistory(): SchemaHistory {
    if (this.historyRead) return this.historyRead;
    const { repo, prefix, baseCommit, shallow } = this.product.revisions;
    const file = this.base.schemaFile?.file;
    if (!file) return (this.historyRead = { versions: [], cutAt: [], unreadable: [] });
    const commits = fileHistory(repo, baseCommit, `${prefix}${file}`);
    const present = commits.filter((c) => !c.deleted);
    const contents = readObjects(repo, present.map((c) => c.blob ?? `${c.commit}:${c.path}`));
    const versions: { name: string; schema: AvroSchema }[] = [];
    const unreadable: string[] = [];
    let previousBlob: string | undefined;
    present.forEach((commit, i) => {
      const bytes = contents[i];
      if (!bytes) {
        // A commit's own blob that cannot be read is history this clone lacks, not a deletion.
        if (commit.blob) unreadable.push(commit.commit);
        return;
      }
      if (commit.blob !== undefined && commit.blob === previousBlob) return; // a pure rename: the same version
      previousBlob = commit.blob;
      const schema = parseAvro(bytes.toString('utf8')).schema;
      const path = commit.path.startsWith(prefix) ? commit.path.slice(prefix.length) : commit.path;
      if (schema) versions.push({ name: `${path}@${commit.commit.slice(0, 12)}`, schema });
    });
    // git shows a shallow boundary commit that holds the file as the one that adds it: what came before is not in the clone.
    const cutAt = commits.filter((c) => !c.deleted && shallow.has(c.commit)).map((c) => c.commit);
    return (this.historyRead = { file, versions, cutAt, unreadable });
  }

  path(...rest: (string | number)[]): (string | number)[] {
    return ['spec', 'outputPorts', this.head.index, ...rest];
  }
}

/** A rule over a changed product or one of its ports. */
export interface ChangeRule {
  readonly code: string;
  readonly name: string;
  readonly title: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly check: ((product: ProductPair, sink: ChangeSink) => void) | { readonly port: (port: PortPair, sink: ChangeSink) => void };
}

/** The bump from one version to the next, by semver precedence. */
export function bumpBetween(base: string, head: string): VersionBump | 'backwards' {
  if (semverLt(head, base)) return 'backwards';
  const difference = semverDiff(base, head);
  if (difference === null) return 'none';
  return difference.endsWith('major') ? 'major' : difference.endsWith('minor') ? 'minor' : 'patch';
}
