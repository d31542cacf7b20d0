import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_DIR } from '../json-schema';

const FORMAT = 'mesh-spec-cache/1';
const FILE_NAME = 'spec-index.json';

interface Header {
  readonly format: string;
  /** Hash of the JSON Schemas the cached specs were checked against. */
  readonly schemas: string;
  /** sha256 of the body line. */
  readonly sha256: string;
}

let schemasHash: string | undefined;

/** A hash of the contract's JSON Schemas: a cache written against other schemas is not used. */
function contractSchemasHash(): string {
  if (schemasHash === undefined) {
    const hash = createHash('sha256');
    for (const name of fs.readdirSync(SCHEMA_DIR).sort()) hash.update(name).update('\0').update(fs.readFileSync(path.join(SCHEMA_DIR, name))).update('\0');
    schemasHash = hash.digest('hex');
  }
  return schemasHash;
}

/**
 * Parsed specs that passed their JSON Schema, keyed by the git blob id of their text, kept in
 * one file of a cache directory between runs. The file is checked (format, the contract's
 * JSON Schemas, a sha256 over its body) before any entry is used; a file that fails any check
 * is ignored and rewritten, never trusted. Only what a run used or added is written back.
 */
export class SpecCache {
  private readonly used = new Map<string, unknown>();
  private added = 0;

  private constructor(
    private readonly file: string | undefined,
    private readonly entries: ReadonlyMap<string, unknown>,
    /** Why an existing cache file was not used, when it was not. */
    readonly ignored?: string,
  ) {}

  /** Opens the cache in `dir`; without a directory the cache is empty and `save` does nothing. */
  static open(dir: string | undefined): SpecCache {
    if (dir === undefined) return new SpecCache(undefined, new Map());
    const file = path.join(dir, FILE_NAME);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return new SpecCache(file, new Map());
    }
    const reject = (reason: string) => new SpecCache(file, new Map(), `${file}: ${reason}; it is rebuilt`);
    const newline = text.indexOf('\n');
    if (newline === -1) return reject('not a spec cache');
    let header: Partial<Header>;
    try {
      header = JSON.parse(text.slice(0, newline)) as Partial<Header>;
    } catch {
      return reject('not a spec cache');
    }
    if (header.format !== FORMAT) return reject(`written in another format (${String(header.format)})`);
    if (header.schemas !== contractSchemasHash()) return reject("written against other versions of the contract's JSON Schemas");
    const body = text.slice(newline + 1);
    if (createHash('sha256').update(body).digest('hex') !== header.sha256) return reject('corrupt (its checksum does not match)');
    let entries: unknown;
    try {
      entries = JSON.parse(body);
    } catch {
      return reject('corrupt (its body is not JSON)');
    }
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return reject('corrupt (its body is not a mapping)');
    return new SpecCache(file, new Map(Object.entries(entries)));
  }

  /** The parsed spec whose text has this blob id, if cached. */
  get(blob: string): unknown {
    const data = this.entries.get(blob) ?? this.used.get(blob);
    if (data !== undefined) this.used.set(blob, data);
    return data;
  }

  put(blob: string, data: unknown): void {
    if (this.used.has(blob)) return;
    this.used.set(blob, data);
    this.added++;
  }

  /** Writes what this run used and added (atomically); returns an error message when it could not. */
  save(): string | undefined {
    if (!this.file || (this.added === 0 && this.used.size === this.entries.size && !this.ignored)) return undefined;
    const body = JSON.stringify(Object.fromEntries(this.used));
    const header: Header = { format: FORMAT, schemas: contractSchemasHash(), sha256: createHash('sha256').update(body).digest('hex') };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temporary, `${JSON.stringify(header)}\n${body}`);
      fs.renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // nothing was written there
      }
      return `could not write ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
