/**
 * Compatibility modes with Confluent Schema Registry's meaning. BACKWARD: the new schema
 * reads data written with the previous one. FORWARD: the previous schema reads data written
 * with the new one. FULL: both. A *_TRANSITIVE mode checks every previous version, the
 * others only the latest. NONE checks nothing.
 */

import { checkReaderWriter } from './compat/reader-writer';
import type { IncompatibilityKind } from './compat/incompatibility';
import type { AvroSchema } from './model';

export const COMPATIBILITY_MODES = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export const DEFAULT_COMPATIBILITY_MODE: CompatibilityMode = 'BACKWARD_TRANSITIVE';

export interface PreviousSchema {
  /** How the report names this version, e.g. its file name or git revision. */
  name: string;
  schema: AvroSchema;
}

export interface ModeIncompatibility {
  /** The `name` of the previous version this incompatibility is against. */
  previous: string;
  kind: IncompatibilityKind;
  /**
   * backward: the new schema reads data of the previous one, so `path` is in the new schema;
   * forward: the previous schema reads data of the new one, so `path` is in the previous schema.
   */
  direction: 'backward' | 'forward';
  /** Location in the reading schema, in Java's format: '/fields/1/type'. */
  path: string;
  /** Says the direction (which schema reads which) and what is wrong. */
  message: string;
}

export interface CompatibilityReport {
  compatible: boolean;
  mode: CompatibilityMode;
  incompatibilities: ModeIncompatibility[];
}

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

/** Checks `next` against `previous` (oldest first) under `mode`. */
export function checkCompatibility(next: AvroSchema, previous: readonly PreviousSchema[], mode: CompatibilityMode): CompatibilityReport {
  const incompatibilities: ModeIncompatibility[] = [];
  for (const version of versionsToCheck(previous, mode)) {
    if (checksBackward(mode)) collect(incompatibilities, version.name, 'backward', `the new schema cannot read data written with ${version.name}`, next, version.schema);
    if (checksForward(mode)) collect(incompatibilities, version.name, 'forward', `${version.name} cannot read data written with the new schema`, version.schema, next);
  }
  return { compatible: incompatibilities.length === 0, mode, incompatibilities };
}

function versionsToCheck(previous: readonly PreviousSchema[], mode: CompatibilityMode): readonly PreviousSchema[] {
  if (mode === 'NONE' || previous.length === 0) return [];
  return mode.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
}

function checksBackward(mode: CompatibilityMode): boolean {
  return mode.startsWith('BACKWARD') || mode.startsWith('FULL');
}

function checksForward(mode: CompatibilityMode): boolean {
  return mode.startsWith('FORWARD') || mode.startsWith('FULL');
}

function collect(out: ModeIncompatibility[], previous: string, direction: 'backward' | 'forward', problem: string, reader: AvroSchema, writer: AvroSchema): void {
  for (const found of checkReaderWriter(reader, writer).incompatibilities) {
    out.push({ previous, kind: found.kind, direction, path: found.path, message: `${direction}: ${problem}: ${found.message}` });
  }
}
