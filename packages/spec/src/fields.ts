import { lookupField } from '@data-mesh/schema-compat';
import type { OutputPort } from './model';

export type PortFieldResolution =
  | { readonly ok: true; readonly port: OutputPort; readonly path: string }
  | { readonly ok: false; readonly reason: 'not-found' | 'ambiguous' | 'no-schema'; readonly candidates: readonly string[] };

/**
 * Resolves a field reference against the schemas of some output ports: found when it resolves
 * in any port's schema; ambiguous when a bare name matches several leaves of one schema.
 * `suggest: false` asks for the verdict only (no close names for a reference found nowhere).
 */
export function resolveInPorts(ports: readonly OutputPort[], ref: string, options: { suggest?: boolean } = {}): PortFieldResolution {
  const ambiguous: string[] = [];
  let anySchema = false;
  for (const port of ports) {
    const fields = port.schemaFile?.fields;
    if (!fields) continue;
    anySchema = true;
    const resolution = lookupField(fields, ref, { suggest: false });
    if (resolution.ok) return { ok: true, port, path: resolution.path };
    if (resolution.reason === 'ambiguous') ambiguous.push(...resolution.candidates.map((c) => `${port.name}: ${c}`));
  }
  if (!anySchema) return { ok: false, reason: 'no-schema', candidates: [] };
  if (ambiguous.length > 0) return { ok: false, reason: 'ambiguous', candidates: ambiguous };
  if (options.suggest === false) return { ok: false, reason: 'not-found', candidates: [] };
  // Only a reference found nowhere pays for suggestions.
  const near = new Set<string>();
  for (const port of ports) {
    const fields = port.schemaFile?.fields;
    if (fields) for (const c of (lookupField(fields, ref) as { candidates: string[] }).candidates) near.add(c);
  }
  return { ok: false, reason: 'not-found', candidates: [...near] };
}
