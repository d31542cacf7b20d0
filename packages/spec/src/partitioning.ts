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
  /** Not nullable (a partition source is never null). */
  readonly required?: boolean;
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
 *   hidden-partitioning transform on the time column (`timeColumn`, else `defaultTime(level)`,
 *   by default {@link defaultPartitionTimeColumn});
 * - otherwise a comma-separated list of Iceberg transforms: `day(ts)`, `hour(ts)`, `month(ts)`,
 *   `year(ts)`, `bucket(16, id)`, `truncate(4, name)`, `identity(region)` or a bare column `region`.
 * Time transforms need a date or timestamp column (`hour` a timestamp). Never throws.
 */
export function planPartitioning(
  partitioning: string | undefined,
  columns: readonly PartitionColumn[],
  timeColumn?: string,
  defaultTime: (level: TimeLevel) => string | undefined = (level) => defaultPartitionTimeColumn(columns, level),
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
    const column = timeColumn ?? defaultTime(level);
    if (!column) return { ok: false, message: `partitioning "${partitioning}" needs a ${level === 'hour' ? 'timestamp' : 'date or timestamp'} column and the schema has none; name one with ${level}(<column>)` };
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

/**
 * The column `year/month/day` partitions on when none is named: among the date/timestamp
 * columns (timestamp only for `hour`), a required one whose name says it is the partition or
 * business date (`snapshot_date`, `kpi_date`, `event_time` ...) first, then any required one,
 * then the first one; ties keep column order.
 */
export function defaultPartitionTimeColumn(columns: readonly PartitionColumn[], level: TimeLevel = 'day'): string | undefined {
  const candidates = columns.filter((c) => (level === 'hour' ? c.kind === 'timestamp' : c.kind === 'date' || c.kind === 'timestamp'));
  const score = (c: PartitionColumn) => (c.required ? 4 : 0) + (/(^|_)(snapshot|partition|event|business|report|kpi|summary|day)(_|$)|_date$/.test(c.name) ? 2 : 0);
  let best: PartitionColumn | undefined;
  for (const c of candidates) if (!best || score(c) > score(best)) best = c;
  return best?.name;
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
