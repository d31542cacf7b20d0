import type { JsonPath } from './document';
import { checkSchema, type SchemaName, type SchemaViolation } from './json-schema';

/**
 * A document that failed its JSON Schema, with its broken nodes taken out so that the rules
 * beyond the schema can still judge the rest in the same run.
 */
export interface Salvage {
  /** The document without its broken nodes: it passes the JSON Schema. */
  readonly data: unknown;
  /** The nodes taken out, as paths into the original document. */
  readonly removed: readonly JsonPath[];
  /** A path into `data` as the path of the same node in the original (lists lost items). */
  original(path: JsonPath): JsonPath;
}

/** Rounds of removal before giving up: each removes at least one node; a parent goes in the round after its child. */
const MAX_ROUNDS = 32;

/**
 * Takes out of `data` every node a schema violation is about (an unknown key, a value of the
 * wrong type, shape or pattern, an object missing a required key) and, when taking one out
 * leaves its parent incomplete, the parent, until what is left passes the schema. Undefined
 * when nothing usable is left: the document's root itself would have to go.
 */
export function salvage(schema: SchemaName, data: unknown, violations: readonly SchemaViolation[]): Salvage | undefined {
  const removed = new Map<string, JsonPath>();
  let pruned = prune(data, removed);
  let found = violations;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progress = false;
    for (const violation of found) {
      const path = pruned.original(violation.path);
      if (path.length === 0) return undefined;
      const key = JSON.stringify(path);
      if (!removed.has(key)) {
        removed.set(key, path);
        progress = true;
      }
    }
    if (!progress) return undefined;
    pruned = prune(data, removed);
    found = checkSchema(schema, pruned.data);
    if (found.length === 0) return { data: pruned.data, removed: [...removed.values()], original: pruned.original };
  }
  return undefined;
}

interface Pruned {
  readonly data: unknown;
  original(path: JsonPath): JsonPath;
}

/** A copy of `data` without the removed paths; lists are compacted and remember which items they kept. */
function prune(data: unknown, removed: ReadonlyMap<string, JsonPath>): Pruned {
  const kept = new Map<string, number[]>();
  const copy = (value: unknown, path: JsonPath): unknown => {
    if (Array.isArray(value)) {
      const indexes: number[] = [];
      const items: unknown[] = [];
      value.forEach((item, index) => {
        const itemPath = [...path, index];
        if (removed.has(JSON.stringify(itemPath))) return;
        indexes.push(index);
        items.push(copy(item, itemPath));
      });
      kept.set(JSON.stringify(path), indexes);
      return items;
    }
    if (value !== null && typeof value === 'object') {
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) {
        const itemPath = [...path, key];
        if (!removed.has(JSON.stringify(itemPath))) entries.push([key, copy(item, itemPath)]);
      }
      return Object.fromEntries(entries);
    }
    return value;
  };
  const result = copy(data, []);
  return {
    data: result,
    original(path) {
      const out: (string | number)[] = [];
      for (const segment of path) {
        const indexes = typeof segment === 'number' ? kept.get(JSON.stringify(out)) : undefined;
        out.push(indexes && typeof segment === 'number' ? (indexes[segment] ?? segment) : segment);
      }
      return out;
    },
  };
}
