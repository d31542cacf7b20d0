import { FULL_HISTORY_FIX } from '../git';
import type { ChangeRule } from '../context';

const short = (commit: string) => commit.slice(0, 12);

/**
 * A transitive mode checks the new schema against every earlier version of its file. In a
 * shallow clone (actions/checkout's default depth) or a partial clone that cannot fetch, git
 * shows only part of that history and the check would pass against what it happens to see:
 * this says which check is incomplete instead. Non-transitive modes need only the base
 * version, which is always there.
 */
export const schemaHistory: ChangeRule = {
  code: 'MESH214',
  name: 'schema-history-incomplete',
  title: "A transitive port's schema is checked against every earlier version, not only the ones a shallow clone holds",
  severity: 'error',
  check: {
    port(port, sink) {
      // The same ports MESH201 checks: stream ports whose schema changed.
      if (port.head.spec.type === 'batch' || !port.schemas()) return;
      const mode = port.head.compatibility;
      if (!mode.endsWith('_TRANSITIVE')) return;
      const history = port.schemaHistory();
      if (history.cutAt.length === 0 && history.unreadable.length === 0) return;
      const seen = history.versions.length;
      const where = [
        ...(history.cutAt.length > 0 ? [`stops at the shallow boundary ${history.cutAt.map(short).join(', ')}, before which the clone holds no history`] : []),
        ...(history.unreadable.length > 0 ? [`lacks the content of ${history.unreadable.length} version(s) (${history.unreadable.slice(0, 3).map(short).join(', ')}${history.unreadable.length > 3 ? ', ...' : ''}), which this partial clone could not fetch`] : []),
      ].join(' and ');
      sink.report({
        document: port.product.head!.document,
        path: port.path('schema'),
        anchor: 'key',
        message:
          `the ${mode} check of "${port.head.name}" is incomplete: the clone's history of ${history.file} ${where}; ` +
          `the new schema was checked against ${seen} earlier version${seen === 1 ? '' : 's'}, not every one`,
        hint: `${FULL_HISTORY_FIX}; the mesh-check Action fetches it itself when it can`,
      });
    },
  },
};
