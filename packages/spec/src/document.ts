import * as jsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import type { LineCounter, Node as YamlNode } from 'yaml';

/**
 * `yaml`, the position-keeping parser (72 modules), loads on first use: when a finding asks for
 * a position or a file has anchors. A clean run never loads it (start-up time).
 */
let yamlModule: typeof Yaml | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof Yaml => (yamlModule ??= require('yaml') as typeof Yaml);
const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
const isPair = ((node: unknown) => yaml().isPair(node)) as typeof Yaml.isPair;
const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
const parseDocument = ((text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions) => yaml().parseDocument(text, options)) as typeof Yaml.parseDocument;
const newLineCounter = (): LineCounter => new (yaml().LineCounter)();

export type JsonPath = readonly (string | number)[];

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** A node's place: where it starts and where it ends (just past its last character; 1-based). */
export interface Span extends Position {
  readonly endLine: number;
  readonly endColumn: number;
}

export interface ParseFailure {
  readonly message: string;
  readonly position: Position;
  readonly hint?: string;
}

/** Whether a position is wanted for a node's value or for the key that names it. */
export type Anchor = 'value' | 'key';

const MAX_ALIASES = 100;

/**
 * A parsed YAML or JSON file. Values come from a fast parser; exact positions come from a
 * second, position-keeping parse that runs only when a finding asks for a position, so a
 * clean file never pays for it.
 */
export class SourceDocument {
  private located?: { doc: ReturnType<typeof parseDocument>; lines: LineCounter };
  private loadedText?: string;

  constructor(
    readonly file: string,
    /** The text, or how to read it when a position is first asked for (a document rebuilt from a cache). */
    private readonly textSource: string | (() => string),
    readonly data: unknown,
    /** For data with nodes taken out (a salvaged spec): where a path into `data` lies in the text. */
    private readonly originalPath?: (path: JsonPath) => JsonPath,
  ) {
    if (typeof textSource === 'string') this.loadedText = textSource;
  }

  get text(): string {
    return (this.loadedText ??= (this.textSource as () => string)());
  }

  /**
   * The position of the node at `path`, or of its nearest existing ancestor, with the end of
   * that node (`endLine`/`endColumn`: just past its last character, as SARIF and LSP count).
   */
  locate(path: JsonPath, anchor: Anchor = 'value'): Span {
    this.located ??= locatingParse(this.text);
    const { doc, lines } = this.located;
    if (this.originalPath) path = this.originalPath(path);
    let node: unknown = doc.contents;
    let best: YamlRange | undefined = rangeOf(node);
    let keyOfCurrent: unknown;
    for (const segment of path) {
      let next: unknown;
      let nextKey: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && scalarKey(p.key) === String(segment));
        if (pair) {
          next = pair.value;
          nextKey = pair.key;
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      }
      if (next === undefined && nextKey === undefined) {
        // The path leaves the document here: point at the key that names the deepest node found.
        const atKey = rangeOf(keyOfCurrent);
        if (atKey) best = atKey;
        break;
      }
      node = next;
      keyOfCurrent = nextKey;
      const range = anchor === 'key' && nextKey !== undefined ? rangeOf(nextKey) : (rangeOf(next) ?? rangeOf(nextKey));
      if (range) best = range;
    }
    if (!best) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const start = lines.linePos(best.start);
    const end = lines.linePos(Math.max(best.start, trimEnd(this.text, best.end)));
    return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  }

  /** The position of a character offset into the text. */
  positionAt(offset: number): Position {
    return positionAt(this.text, offset);
  }
}

function locatingParse(text: string) {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, strict: false, prettyErrors: false });
  return { doc, lines };
}

function scalarKey(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

interface YamlRange {
  readonly start: number;
  /** Where the node's value ends (before a trailing comment). */
  readonly end: number;
}

function rangeOf(node: unknown): YamlRange | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? { start: range[0], end: blockEnd(node) ?? range[1] } : undefined;
}

/** A block collection's range runs over the comments after it: it ends where its last item ends. */
function blockEnd(node: unknown): number | undefined {
  if (!(isMap(node) || isSeq(node)) || node.flow) return undefined;
  const last: unknown = node.items[node.items.length - 1];
  const item = isPair(last) ? (last.value ?? last.key) : last;
  return item ? (blockEnd(item) ?? (item as YamlNode).range?.[1]) : undefined;
}

/** `end` moved back over the whitespace and line breaks a block node's range ends with. */
function trimEnd(text: string, end: number): number {
  let i = Math.min(end, text.length);
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Decodes UTF-8 strictly; reports the line of the first invalid byte sequence. */
export function decodeUtf8(bytes: Buffer): { text: string } | { failure: ParseFailure } {
  const text = bytes.toString('utf8');
  const replacement = text.indexOf('\uFFFD');
  if (replacement !== -1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return {
        failure: {
          message: 'the file is not valid UTF-8',
          position: positionAt(text, replacement),
          hint: 'save the file as UTF-8',
        },
      };
    }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

// An anchor or alias token: '&name' or '*name' after whitespace, a flow indicator or a line start.
const ANCHOR_OR_ALIAS = /(?:^|[\s[\]{},])[&*][^\s[\]{},]/m;

/**
 * Parses one YAML document. Most files take the fast path (js-yaml, no positions kept);
 * a file with anchors or aliases takes the `yaml` package, which bounds alias expansion.
 */
const EMPTY: ParseFailure = { message: 'the file is empty: expected a YAML mapping', position: { line: 1, column: 1 } };

export function parseYaml(file: string, text: string): { document: SourceDocument } | { failure: ParseFailure } {
  if ((text.includes('&') || text.includes('*')) && ANCHOR_OR_ALIAS.test(text)) return parseWithAliases(file, text);
  try {
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file, json: false });
    if ((data === undefined || data === null) && isOnlyComments(text)) return { failure: EMPTY };
    return { document: new SourceDocument(file, text, data) };
  } catch (error) {
    return { failure: yamlFailure(text, error) };
  }
}

function isOnlyComments(text: string): boolean {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#') && t !== '---' && t !== '...') return false;
  }
  return true;
}

function parseWithAliases(file: string, text: string): { document: SourceDocument } | { failure: ParseFailure } {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: false });
  const error = doc.errors[0];
  if (error) {
    return { failure: { message: describeYamlError(error.message), position: positionAt(text, error.pos[0]) } };
  }
  try {
    const data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    if ((data === undefined || data === null) && isOnlyComments(text)) return { failure: EMPTY };
    return { document: new SourceDocument(file, text, data) };
  } catch (e) {
    const aliasAt = text.search(/(?:^|[\s[\]{},])\*[^\s[\]{},]/m);
    return {
      failure: {
        message: `YAML aliases expand beyond the limit of ${MAX_ALIASES}: ${e instanceof Error ? e.message : String(e)}`,
        position: aliasAt === -1 ? { line: 1, column: 1 } : positionAt(text, aliasAt + 1),
        hint: 'a data-product spec does not need nested aliases; write the values out',
      },
    };
  }
}

function describeYamlError(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '');
}

/** The '---' that starts the second document (js-yaml reports multi-document files without a position). */
function secondDocumentStart(text: string): Position {
  const marker = /^---(?=\s|$)/gm;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    if (!isOnlyComments(text.slice(0, match.index))) return positionAt(text, match.index);
  }
  return { line: 1, column: 1 };
}

function yamlFailure(text: string, error: unknown): ParseFailure {
  if (error instanceof jsYaml.YAMLException) {
    const mark = error.mark as { line?: number; column?: number; position?: number } | undefined;
    const position = mark && typeof mark.line === 'number' ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : { line: 1, column: 1 };
    const reason = error.reason || 'malformed YAML';
    if (/expected a single document/.test(reason)) {
      return { message: 'malformed YAML: the file holds more than one YAML document', position: secondDocumentStart(text), hint: 'a spec is one document: remove the second "---" and what follows' };
    }
    const duplicate = /duplicated mapping key/.test(reason);
    return {
      message: duplicate ? 'duplicate key: a key appears twice in the same mapping' : `malformed YAML: ${reason}`,
      position,
      hint: duplicate ? 'remove or rename one of the two keys' : undefined,
    };
  }
  if (error instanceof RangeError) {
    return { message: 'the YAML is nested too deeply to read', position: { line: 1, column: 1 } };
  }
  return { message: `malformed YAML: ${error instanceof Error ? error.message : String(error)}`, position: positionAt(text, 0) };
}
