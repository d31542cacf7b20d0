/**
 * A batch port's `partitioning`, read against its table's columns. One reading for both sides:
 * `mesh validate` (MESH121, at the port's `partitioning`) and the Iceberg table construct
 * (`buildPartitionSpec` in @data-mesh/cdk), so what validates also synthesizes.
 */

/** What a partition transform needs to know of a column. */
export type PartitionColumnKind = 'date' | 'timestamp' | 'other' | 'nested';

export interface PartitionColumn {
  readonly name: string;
  readonly kind: PartitionColumnKind;
  /** The column's type as its messages name it (`long`, `string`). */
  readonly type?: string;
}

export type TimeLevel = 'year' | 'month' | 'day' | 'hour';

/** One partition field: the source column, the Iceberg transform (`day`, `bucket[16]`, `identity` ...) and its name. */
export interface PartitionPart {
  readonly column: string;
  readonly transform: string;
  readonly name: string;
}

export type PartitioningPlan = { readonly ok: true; readonly parts: readonly PartitionPart[] } | { readonly ok: false; readonly message: string };

const TIME_LEVELS: Record<string, TimeLevel> = {
  year: 'year', 'year/month': 'month', 'year/month/day': 'day', 'year/month/day/hour': 'hour',
};

/**
 * Reads a port's `partitioning`:
 * - `year`, `year/month`, `year/month/day`, `year/month/day/hour` (Hive-style layout) become ONE
 *   hidden-partitioning transform on the time column (`timeColumn`, else `defaultTime(level)`);
 * - otherwise a comma-separated list of Iceberg transforms: `day(ts)`, `hour(ts)`, `month(ts)`,
 *   `year(ts)`, `bucket(16, id)`, `truncate(4, name)`, `identity(region)` or a bare column `region`.
 * Time transforms need a date or timestamp column (`hour` a timestamp). Never throws.
 */
export function planPartitioning(
  partitioning: string | undefined,
  columns: readonly PartitionColumn[],
  timeColumn?: string,
  defaultTime?: (level: TimeLevel) => string | undefined,
): PartitioningPlan {
  const parts: PartitionPart[] = [];
  if (!partitioning || partitioning.trim() === '') return { ok: true, parts };
  const byName = new Map(columns.map((c) => [c.name, c]));
  const fail = (message: string): PartitioningPlan => ({ ok: false, message: `partitioning "${partitioning}": ${message}` });
  const push = (column: string, transform: string, label: string): string | undefined => {
    const c = byName.get(column);
    if (!c) return `column "${column}" is not in the table's schema (columns: ${[...byName.keys()].join(', ')})`;
    const base = transform.replace(/\[.*/, '');
    if (c.kind === 'nested') return `column "${column}" is nested; ${base} needs a primitive column`;
    const timeOk = base === 'hour' ? c.kind === 'timestamp' : c.kind === 'date' || c.kind === 'timestamp';
    if (['year', 'month', 'day', 'hour'].includes(base) && !timeOk) {
      return `${base}(${column}) needs a ${base === 'hour' ? 'timestamp' : 'date or timestamp'} column, "${column}" is ${kindText(c)}`;
    }
    const name = transform === 'identity' ? column : `${column}_${label}`;
    if (parts.some((x) => x.name === name)) return `partition field "${name}" appears twice`;
    parts.push({ column, transform, name });
    return undefined;
  };

  const level = TIME_LEVELS[partitioning.replace(/\s+/g, '')];
  if (level) {
    const column = timeColumn ?? defaultTime?.(level);
    if (!column) return { ok: false, message: `partitioning "${partitioning}" needs a date or timestamp column and the schema has none; name one with day(<column>)` };
    const problem = push(column, level, level);
    return problem ? fail(problem) : { ok: true, parts };
  }
  for (const part of splitTopLevel(partitioning)) {
    const m = /^(year|month|day|hour|identity)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(part)
      ?? /^(bucket|truncate)\s*\(\s*(\d+)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(part)
      ?? /^()([A-Za-z_][A-Za-z0-9_]*)$/.exec(part);
    if (!m) return fail(`cannot read "${part}"; expected year/month/day, or transforms such as day(ts), bucket(16, id), truncate(4, name), identity(col)`);
    let problem: string | undefined;
    if (m[1] === 'bucket' || m[1] === 'truncate') {
      const n = Number(m[2]);
      if (!(n > 0)) return fail(`${m[1]} width must be positive`);
      problem = push(m[3]!, `${m[1]}[${n}]`, m[1]);
    } else if (m[1] === '' || m[1] === 'identity') {
      problem = push(m[2]!, 'identity', 'identity');
    } else {
      problem = push(m[2]!, m[1]!, m[1]!);
    }
    if (problem) return fail(problem);
  }
  return { ok: true, parts };
}

function kindText(c: PartitionColumn): string {
  return c.type ?? (c.kind === 'other' ? 'not a date or timestamp' : c.kind);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}
