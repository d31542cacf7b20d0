import type { CompatibilityMode } from '../../model';
import type { ChangeRule } from '../context';

/** The checks a mode makes: backward/forward, against the latest version or all of them. */
function checksOf(mode: CompatibilityMode): Set<string> {
  const directions = mode === 'NONE' ? [] : mode.startsWith('FULL') ? ['backward', 'forward'] : [mode.startsWith('BACKWARD') ? 'backward' : 'forward'];
  const scopes = mode.endsWith('_TRANSITIVE') ? ['latest', 'all'] : ['latest'];
  return new Set(directions.flatMap((d) => scopes.map((s) => `${d} ${s}`)));
}

export const compatibilityMode: ChangeRule = {
  code: 'MESH213',
  name: 'compatibility-mode',
  title: "A port's compatibility mode is not loosened",
  severity: 'warning',
  check: {
    port(port, sink) {
      const was = port.base.compatibility;
      const is = port.head.compatibility;
      const kept = checksOf(is);
      const dropped = [...checksOf(was)].filter((c) => !kept.has(c));
      if (dropped.length === 0) return;
      sink.report({
        document: port.product.head!.document,
        path: port.path('compatibility'),
        message: `the compatibility mode of "${port.head.name}" changes from ${was} to ${is}, which no longer checks ${dropped.join(', ')}`,
        hint: 'loosen a mode only with the agreement of every consumer',
      });
    },
  },
};
