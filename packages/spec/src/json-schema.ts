import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ErrorObject } from 'ajv';
import type { JsonPath } from './document';

export type SchemaName = 'data-product' | 'domain-map' | 'platform';
export const SCHEMA_NAMES: readonly SchemaName[] = ['data-product', 'domain-map', 'platform'];

/** The folder of the JSON Schemas shipped with this package (what editors point `$schema` at). */
export const SCHEMA_DIR = nodePath.join(__dirname, '..', 'schemas');

/**
 * The keywords the schemas use beyond JSON Schema 2020-12: `patternErrorMessage`, the message
 * yaml-language-server and VS Code show instead of a raw regex, which `checkSchema` shows too.
 * A strict validator (ajv's default) refuses unknown keywords: declare these, e.g.
 * `ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' })`.
 */
export const EDITOR_KEYWORDS = ['patternErrorMessage'] as const;

/** The build's ajv standalone code of each kind of validator, beside this module in dist/ (src/json-schema-build.ts). */
export const standaloneFile = (kind: ValidatorKind): string => `schema-validators.${kind}.js`;

/**
 * Two validators per schema: a fast one that stops at the first error, run on every document,
 * and a detailed one that collects every error with its data and schema, run only for a
 * document that failed.
 */
export type ValidatorKind = 'fast' | 'detailed';
export type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export type Validators = Record<SchemaName, Validate>;

export function schemaText(name: SchemaName): string {
  return fs.readFileSync(nodePath.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');
}

/** A digest of the shipped schemas: the standalone code records the one it was generated from. */
export function schemasDigest(): string {
  const hash = createHash('sha256');
  for (const name of SCHEMA_NAMES) hash.update(name).update('\0').update(schemaText(name)).update('\0');
  return hash.digest('hex');
}

export const exportName = (name: SchemaName): string => name.replace(/-/g, '_');

/** The validators of a standalone module when it was generated from the schemas as they are now, else undefined. */
export function fromStandalone(module: Record<string, unknown>, digest: string): Validators | undefined {
  if (module.schemasDigest !== digest) return undefined;
  const found = Object.fromEntries(SCHEMA_NAMES.map((name) => [name, module[exportName(name)]])) as Validators;
  return SCHEMA_NAMES.every((name) => typeof found[name] === 'function') ? found : undefined;
}

/**
 * The validators of one kind: the build's precompiled code (no ajv at run time, nothing
 * compiled), or, when that code is missing (a plain tsc build, the tests on the sources) or
 * stale (the schemas changed since), compiled here once with ajv.
 */
const loaded: Partial<Record<ValidatorKind, Validators>> = {};
let digest: string | undefined;

function validators(kind: ValidatorKind): Validators {
  let found = loaded[kind];
  if (found) return found;
  // The generated code exists only in dist/ (and in bundles); ajv loads only when it is missing.
  const standalone = requireStandalone(kind);
  if (standalone) found = fromStandalone(standalone, (digest ??= schemasDigest()));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  found ??= (require('./json-schema-build') as typeof import('./json-schema-build')).compileValidators(kind);
  return (loaded[kind] = found);
}

/** The build's code of one kind, or undefined where there is none. Literal paths, so that bundlers take it in. */
function requireStandalone(kind: ValidatorKind): Record<string, unknown> | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return (kind === 'fast' ? require('./schema-validators.fast.js') : require('./schema-validators.detailed.js')) as Record<string, unknown>;
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && (error as Error).message.includes(standaloneFile(kind));
    if (missing) return undefined;
    throw error;
  }
}

/** Checks a document against one of the contract's JSON Schemas. */
export function checkSchema(name: SchemaName, data: unknown): SchemaViolation[] {
  if (validators('fast')[name](data)) return [];
  const detailed = validators('detailed')[name];
  detailed(data);
  return describeErrors(detailed.errors ?? []);
}

export interface SchemaViolation {
  readonly message: string;
  readonly path: JsonPath;
  /** Whether the finding is about the key at `path` (an unknown key) rather than its value. */
  readonly atKey: boolean;
  readonly hint?: string;
}

function describeErrors(errors: readonly ErrorObject[]): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // 'if'/'anyOf' wrappers repeat what their branches already said.
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'propertyNames') continue;
    const violation = describe(error);
    const key = `${violation.path.join('\u0000')}|${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
  }
  return violations;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function where(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the document';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

function describe(error: ErrorObject): SchemaViolation {
  const path = pointerToPath(error.instancePath);
  const at = where(path);
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  if (error.propertyName !== undefined) {
    const hint = typeof parent?.patternErrorMessage === 'string' ? parent.patternErrorMessage : undefined;
    return { message: `the name "${error.propertyName}" in ${at} is not valid${hint ? `: ${hint}` : ''}`, path: [...path, error.propertyName], atKey: true };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      const closest = closestKey(key, known);
      return {
        message: `unknown key "${key}" in ${at}${closest ? `: did you mean "${closest}"?` : ''}`,
        path: [...path, key],
        atKey: true,
        hint: known.length ? `expected one of: ${known.join(', ')}` : undefined,
      };
    }
    case 'required':
      return { message: `${at} is missing the required key "${String(params.missingProperty)}"`, path, atKey: path.length > 0 };
    case 'type':
      return {
        message: `${at} must be ${article(String(params.type))}, not ${show(error.data)}`,
        path,
        atKey: false,
        hint: params.type === 'string' && typeof error.data === 'number' ? 'quote the value so YAML reads it as text' : undefined,
      };
    case 'enum':
      return {
        message: `${at} is ${show(error.data)}; expected one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
        path,
        atKey: false,
      };
    case 'const':
      return { message: `${at} is ${show(error.data)}; expected "${String(params.allowedValue)}"`, path, atKey: false };
    case 'pattern':
      return {
        message: `${at} is ${show(error.data)}: ${typeof parent?.patternErrorMessage === 'string' ? parent.patternErrorMessage : `expected a match of ${String(params.pattern)}`}`,
        path,
        atKey: false,
      };
    case 'uniqueItems':
      return { message: `${at} lists an item twice (items ${String(params.j)} and ${String(params.i)})`, path: [...path, Number(params.i)], atKey: false };
    case 'minItems':
      return { message: `${at} must list at least ${String(params.limit)} item(s)`, path, atKey: false };
    case 'minProperties':
      return { message: `${at} must have at least ${String(params.limit)} entry`, path, atKey: false };
    case 'minLength':
      return { message: `${at} must not be empty`, path, atKey: false };
    case 'maxLength':
      return { message: `${at} is longer than ${String(params.limit)} characters`, path, atKey: false };
    case 'minimum':
    case 'maximum':
      return { message: `${at} is ${show(error.data)}; it must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`, path, atKey: false };
    default:
      return { message: `${at} ${error.message ?? 'is invalid'}`, path, atKey: false };
  }
}

function article(type: string): string {
  const word = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/**
 * The known key an unknown one most likely misspells (`tagz` -> `tags`, `outputport` ->
 * `outputPorts`): the nearest by edit distance (insertions, deletions, substitutions and swaps
 * of neighbours, ignoring case), when it is near enough to be a typo; undefined otherwise.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
