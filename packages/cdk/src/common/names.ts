/** Naming helpers shared by the constructs: AWS names derived from mesh names, validated. */

/** `customer-360` -> `customer_360`: Glue database/table names are lower-case with underscores. */
export function glueName(...parts: string[]): string {
  const name = parts.join('_').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name.length > 255) throw new Error(`Glue name "${name}" is longer than 255 characters`);
  return name;
}

/** Short, deterministic hash (FNV-1a, 8 hex chars) for names that must fit a length limit. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A name of at most `max` characters: kept when it fits, else truncated and suffixed with a hash of the whole. */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = shortHash(name);
  return `${name.slice(0, max - hash.length - 1)}-${hash}`;
}

/** `customer/customer-360` -> `CustomerCustomer360`: construct ids. */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** The literal name of a bucket defined in this app with a fixed name, else undefined (a token). */
export function literalBucketName(bucket: { node: { defaultChild?: unknown } }): string | undefined {
  const cfn = bucket.node.defaultChild as { bucketName?: unknown } | undefined;
  const name = cfn?.bucketName;
  return typeof name === 'string' && !name.includes('${Token[') ? name : undefined;
}
