/** A parsed freshness promise. */
export type Freshness =
  | { readonly kind: 'rolling'; readonly boundMs: number; readonly text: string }
  | { readonly kind: 'daily'; readonly boundMs: number; readonly deadline: string; readonly text: string };

const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
const DAY_MS = UNIT_MS.day as number;

const FRESHNESS = /^<\s*(\d+(?:\.\d+)?)\s*(seconds?|minutes?|hours?|days?)(?:\s+after\s+(midnight|([01]\d|2[0-3]):([0-5]\d))\s+UTC)?$/i;

export type SlaParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function parseFreshness(text: string): SlaParse<Freshness> {
  const match = FRESHNESS.exec(text.trim());
  if (!match) {
    return {
      ok: false,
      message: `freshness "${text}" is not understood; expected "< N unit" (e.g. "< 5 minutes") or a daily deadline "< N unit after HH:MM UTC" / "< N unit after midnight UTC"`,
    };
  }
  const amount = Number(match[1]);
  const unit = (match[2] as string).toLowerCase().replace(/s$/, '');
  const boundMs = amount * (UNIT_MS[unit] as number);
  if (!(boundMs > 0)) return { ok: false, message: `freshness "${text}" must promise a bound above zero` };
  if (match[3] === undefined) return { ok: true, value: { kind: 'rolling', boundMs, text } };
  if (boundMs >= DAY_MS) return { ok: false, message: `freshness "${text}": a daily deadline must fall within the day (under 24 hours)` };
  const deadline = match[3].toLowerCase() === 'midnight' ? '00:00' : match[3];
  return { ok: true, value: { kind: 'daily', boundMs, deadline, text } };
}

/**
 * The worst-case age of data under a promise. A daily deadline means yesterday's data may be
 * read until today's delivery, so the bound is a day plus the delay.
 */
export function worstCaseStalenessMs(freshness: Freshness): number {
  return freshness.kind === 'rolling' ? freshness.boundMs : DAY_MS + freshness.boundMs;
}

export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [DAY_MS, 'day'],
    [UNIT_MS.hour as number, 'hour'],
    [UNIT_MS.minute as number, 'minute'],
    [UNIT_MS.second as number, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms / 1000} seconds`;
}

const UPTIME = /^(\d{1,3}(?:\.\d+)?)\s*%$/;

/** Uptime as a fraction: "99.9%" is 0.999. */
export function parseUptime(text: string): SlaParse<number> {
  const match = UPTIME.exec(text.trim());
  const percent = match ? Number(match[1]) : NaN;
  if (!match || !(percent > 0) || percent > 100) {
    return { ok: false, message: `uptime "${text}" is not understood; expected a percentage above 0 and at most 100, e.g. "99.9%"` };
  }
  return { ok: true, value: percent / 100 };
}

export function formatUptime(fraction: number): string {
  return `${Number((fraction * 100).toFixed(4))}%`;
}
