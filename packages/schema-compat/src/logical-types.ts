/**
 * Logical types as the Avro specification defines them. An invalid or unknown logical
 * type is not an error: the spec says to use the underlying type, so these return undefined.
 */

import type { LogicalType } from './model';

type Underlying = { type: string; size?: number };

const ON_INT = new Set(['date', 'time-millis']);
const ON_LONG = new Set([
  'time-micros', 'timestamp-millis', 'timestamp-micros', 'timestamp-nanos',
  'local-timestamp-millis', 'local-timestamp-micros', 'local-timestamp-nanos',
]);

export function parseLogicalType(raw: Record<string, unknown>, underlying: Underlying): LogicalType | undefined {
  const name = raw['logicalType'];
  if (typeof name !== 'string') return undefined;
  if (ON_INT.has(name)) return underlying.type === 'int' ? ({ name } as LogicalType) : undefined;
  if (ON_LONG.has(name)) return underlying.type === 'long' ? ({ name } as LogicalType) : undefined;
  switch (name) {
    case 'uuid':
      return underlying.type === 'string' || (underlying.type === 'fixed' && underlying.size === 16) ? { name } : undefined;
    case 'duration':
      return underlying.type === 'fixed' && underlying.size === 12 ? { name } : undefined;
    case 'decimal':
      return parseDecimal(raw, underlying);
    default:
      return undefined;
  }
}

function parseDecimal(raw: Record<string, unknown>, underlying: Underlying): LogicalType | undefined {
  if (underlying.type !== 'bytes' && underlying.type !== 'fixed') return undefined;
  const precision = raw['precision'];
  const scale = raw['scale'] ?? 0;
  if (!Number.isInteger(precision) || (precision as number) <= 0) return undefined;
  if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) return undefined;
  if (underlying.type === 'fixed' && (precision as number) > maxDecimalDigits(underlying.size ?? 0)) return undefined;
  return { name: 'decimal', precision: precision as number, scale: scale as number };
}

/** The most base-10 digits a two's-complement number of `size` bytes can hold. */
function maxDecimalDigits(size: number): number {
  return Math.floor(Math.log10(2 ** (8 * size - 1) - 1));
}
