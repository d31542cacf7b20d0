import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { JsonPath } from './document';

export type SchemaName = 'data-product' | 'domain-map' | 'platform';

/** The folder of the JSON Schemas shipped with this package (what editors point `$schema` at). */
export const SCHEMA_DIR = nodePath.join(__dirname, '..', 'schemas');

function readSchema(name: SchemaName): object {
  return JSON.parse(fs.readFileSync(nodePath.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object;
}

export interface SchemaViolation {
  readonly message: string;
  readonly path: JsonPath;
  /** Whether the finding is about the key at `path` (an unknown key) rather than its value. */
  readonly atKey: boolean;
  readonly hint?: string;
}

/**
 * Two validators per schema: a fast one that stops at the first error, run on every document,
 * and one that collects every error with its data, compiled and run only for a document that
 * fails.
 */
const validators = { fast: new Map<SchemaName, ValidateFunction>(), detailed: new Map<SchemaName, ValidateFunction>() };
const compilers: { fast?: Ajv2020; detailed?: Ajv2020 } = {};

function validator(kind: 'fast' | 'detailed', name: SchemaName): ValidateFunction {
  let validate = validators[kind].get(name);
  if (!validate) {
    let ajv = compilers[kind];
    if (!ajv) {
      ajv = compilers[kind] = new Ajv2020(kind === 'fast' ? { allErrors: false, strict: true } : { allErrors: true, verbose: true, strict: true });
      ajv.addKeyword({ keyword: 'patternHint', schemaType: 'string' });
    }
    validate = ajv.compile(readSchema(name));
    validators[kind].set(name, validate);
  }
  return validate;
}

/** Checks a document against one of the contract's JSON Schemas. */
export function checkSchema(name: SchemaName, data: unknown): SchemaViolation[] {
  if (validator('fast', name)(data)) return [];
  const detailed = validator('detailed', name);
  detailed(data);
  return describeErrors(detailed.errors ?? []);
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
    const hint = typeof parent?.patternHint === 'string' ? parent.patternHint : undefined;
    return { message: `the name "${error.propertyName}" in ${at} is not valid${hint ? `: expected ${hint}` : ''}`, path: [...path, error.propertyName], atKey: true };
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      return {
        message: `unknown key "${key}" in ${at}`,
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
        message: `${at} is ${show(error.data)}, which is not ${typeof parent?.patternHint === 'string' ? parent.patternHint : `matching ${String(params.pattern)}`}`,
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
