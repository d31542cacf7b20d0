/** Building blocks shared by the schema parsers: primitive singletons, references, union rules. */

import { PRIMITIVE_TYPE_NAMES, fullNameOf, isValidName, isValidNamespace, namespaceOf, simpleNameOf } from './names';
import type { AvroSchema, NamedSchema, NamedTypeRef, PrimitiveSchema, PrimitiveTypeName } from './model';

export const NO_ALIASES: readonly string[] = Object.freeze([]);

export const PRIMITIVES = new Map<string, PrimitiveSchema>(
  [...PRIMITIVE_TYPE_NAMES].map((name) => [name, Object.freeze({ type: name as PrimitiveTypeName })]),
);

export class Reference implements NamedTypeRef {
  readonly type = 'ref';
  name: string;
  #target: NamedSchema | undefined;

  constructor(name: string, target: NamedSchema | undefined) {
    this.name = name;
    this.#target = target;
  }

  get target(): NamedSchema {
    return this.#target!;
  }

  get isResolved(): boolean {
    return this.#target !== undefined;
  }

  resolveTo(target: NamedSchema): void {
    this.#target = target;
    this.name = target.name;
  }
}

/**
 * Whether a default for this type can be checked at once: it names no type that may still
 * be undefined or half-built (a union's default depends on its first branch only).
 */
export function isSelfContained(schema: AvroSchema): boolean {
  switch (schema.type) {
    case 'union':
      return schema.branches.length === 0 || isSelfContained(schema.branches[0]!);
    case 'array':
      return isSelfContained(schema.items);
    case 'map':
      return isSelfContained(schema.values);
    case 'ref':
    case 'record':
    case 'error':
      return false;
    default:
      return true;
  }
}

/** Two union branches with the same key are the same type, which a union forbids. */
export function unionBranchKey(schema: AvroSchema): string {
  switch (schema.type) {
    case 'ref':
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed':
      return schema.name;
    default:
      return schema.type;
  }
}

export type TypeNameDefinition = { fullName: string; namespace: string } | { problem: string; key: 'name' | 'namespace' };

/**
 * The full name and namespace a named type (record, enum, fixed) defines, or what is wrong
 * with it: a dotted name carries its namespace, else `namespace`, else the enclosing one.
 */
export function defineTypeName(
  kind: string,
  name: unknown,
  declaredNamespace: unknown,
  enclosingNamespace: string,
  defined: ReadonlyMap<string, unknown>,
): TypeNameDefinition {
  if (typeof name !== 'string') return { problem: `a ${kind} needs a 'name' (a string)`, key: 'name' };
  if (declaredNamespace !== undefined && declaredNamespace !== null && typeof declaredNamespace !== 'string') {
    return { problem: `'namespace' must be a string, found ${describeJson(declaredNamespace)}`, key: 'namespace' };
  }
  const namespace = name.includes('.') ? namespaceOf(name) : typeof declaredNamespace === 'string' ? declaredNamespace : enclosingNamespace;
  const simpleName = simpleNameOf(name);
  if (!isValidName(simpleName)) return { problem: `'${name}' is not a valid name: names match [A-Za-z_][A-Za-z0-9_]*`, key: 'name' };
  if (!isValidNamespace(namespace)) {
    return { problem: `'${namespace}' is not a valid namespace: dot-separated names matching [A-Za-z_][A-Za-z0-9_]*`, key: name.includes('.') ? 'name' : 'namespace' };
  }
  if (PRIMITIVE_TYPE_NAMES.has(simpleName)) return { problem: `'${simpleName}' is a primitive type name and cannot name a ${kind}`, key: 'name' };
  const fullName = fullNameOf(simpleName, namespace);
  if (defined.has(fullName)) return { problem: `'${fullName}' is already defined: a named type may be defined only once`, key: 'name' };
  return { fullName, namespace };
}

export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
