/**
 * Iceberg's schema evolution rules, applied between the mappings of two versions of a batch
 * port's schema. Columns are matched by path. Allowed: adding an optional column, widening
 * int to long, float to double, decimal(P,S) to decimal(P2,S) with P2 > P, making a required
 * column optional, reordering. Anything else breaks the table's readers: dropping a column,
 * adding a required one, making an optional one required, any other type change.
 */

import { icebergTypeString, type IcebergField, type IcebergType } from './types';
import type { IcebergMapping } from './mapping';

export type IcebergChangeKind =
  | 'COLUMN_ADDED'
  | 'REQUIRED_COLUMN_ADDED'
  | 'COLUMN_DROPPED'
  | 'TYPE_WIDENED'
  | 'TYPE_CHANGED'
  | 'COLUMN_MADE_OPTIONAL'
  | 'COLUMN_MADE_REQUIRED';

const BREAKING: ReadonlySet<IcebergChangeKind> = new Set(['REQUIRED_COLUMN_ADDED', 'COLUMN_DROPPED', 'TYPE_CHANGED', 'COLUMN_MADE_REQUIRED']);

export interface IcebergChange {
  kind: IcebergChangeKind;
  /** Dotted column path; list elements and map keys/values are '.element', '.key', '.value'. */
  path: string;
  breaking: boolean;
  message: string;
}

export interface IcebergEvolution {
  /** No breaking change. */
  compatible: boolean;
  changes: IcebergChange[];
}

export function checkIcebergEvolution(previous: IcebergMapping, next: IcebergMapping): IcebergEvolution {
  const changes: IcebergChange[] = [];
  compareFields(previous.columns, next.columns, '', changes);
  return { compatible: changes.every((change) => !change.breaking), changes };
}

function change(kind: IcebergChangeKind, path: string, message: string): IcebergChange {
  return { kind, path, breaking: BREAKING.has(kind), message };
}

function compareFields(previous: readonly IcebergField[], next: readonly IcebergField[], prefix: string, out: IcebergChange[]): void {
  const nextByName = new Map(next.map((field) => [field.name, field]));
  const previousNames = new Set(previous.map((field) => field.name));
  for (const before of previous) {
    const path = `${prefix}${before.name}`;
    const after = nextByName.get(before.name);
    if (!after) {
      out.push(change('COLUMN_DROPPED', path, `column ${path} (${icebergTypeString(before.type)}) was dropped`));
      continue;
    }
    compareRequired(before.required, after.required, path, out);
    compareTypes(before.type, after.type, path, out);
  }
  for (const after of next) {
    if (previousNames.has(after.name)) continue;
    const path = `${prefix}${after.name}`;
    if (after.required) out.push(change('REQUIRED_COLUMN_ADDED', path, `required column ${path} (${icebergTypeString(after.type)}) was added: existing rows have no value for it`));
    else out.push(change('COLUMN_ADDED', path, `optional column ${path} (${icebergTypeString(after.type)}) was added`));
  }
}

function compareRequired(before: boolean, after: boolean, path: string, out: IcebergChange[]): void {
  if (before && !after) out.push(change('COLUMN_MADE_OPTIONAL', path, `${path} became optional`));
  if (!before && after) out.push(change('COLUMN_MADE_REQUIRED', path, `${path} became required: existing rows may hold nulls`));
}

function compareTypes(before: IcebergType, after: IcebergType, path: string, out: IcebergChange[]): void {
  if (before.type === 'struct' && after.type === 'struct') {
    compareFields(before.fields, after.fields, `${path}.`, out);
    return;
  }
  if (before.type === 'list' && after.type === 'list') {
    compareRequired(before.elementRequired, after.elementRequired, `${path}.element`, out);
    compareTypes(before.element, after.element, `${path}.element`, out);
    return;
  }
  if (before.type === 'map' && after.type === 'map') {
    compareTypes(before.key, after.key, `${path}.key`, out);
    compareRequired(before.valueRequired, after.valueRequired, `${path}.value`, out);
    compareTypes(before.value, after.value, `${path}.value`, out);
    return;
  }
  const was = icebergTypeString(before);
  const is = icebergTypeString(after);
  if (was === is) return;
  if (isWidening(before, after)) out.push(change('TYPE_WIDENED', path, `${path} widened from ${was} to ${is}`));
  else out.push(change('TYPE_CHANGED', path, `${path} changed from ${was} to ${is}, which Iceberg cannot evolve in place`));
}

/** Iceberg's allowed promotions: int to long, float to double, decimal precision up at the same scale. */
function isWidening(before: IcebergType, after: IcebergType): boolean {
  if (before.type === 'int' && after.type === 'long') return true;
  if (before.type === 'float' && after.type === 'double') return true;
  return before.type === 'decimal' && after.type === 'decimal' && after.scale === before.scale && after.precision > before.precision;
}
