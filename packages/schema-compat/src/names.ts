/** Avro names: `[A-Za-z_][A-Za-z0-9_]*`, full names joined by dots, namespaces. */

import type { PrimitiveTypeName } from './model';

export const PRIMITIVE_TYPE_NAMES: ReadonlySet<string> = new Set<PrimitiveTypeName>([
  'null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string',
]);

export function isValidName(name: string): boolean {
  const length = name.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

/** A namespace is empty (the null namespace) or dot-separated valid names. */
export function isValidNamespace(namespace: string): boolean {
  return namespace === '' || isValidFullName(namespace);
}

/** Dot-separated valid names, e.g. `com.acme.Customer`; one pass, no splitting. */
export function isValidFullName(name: string): boolean {
  const length = name.length;
  let atSegmentStart = true;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (atSegmentStart) return false;
      atSegmentStart = true;
      continue;
    }
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (atSegmentStart || !(c >= 48 && c <= 57))) return false;
    atSegmentStart = false;
  }
  return !atSegmentStart;
}

/** The full name of `name` written inside `namespace`: a dotted name is already full. */
export function fullNameOf(name: string, namespace: string): string {
  if (name.includes('.') || namespace === '') return name;
  return `${namespace}.${name}`;
}

/** The namespace part of a full name ('' for the null namespace). */
export function namespaceOf(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? '' : fullName.slice(0, dot);
}

/** The unqualified part of a full name. */
export function simpleNameOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}
