import type { ChangeRule } from '../context';

export const consumerImpact: ChangeRule = {
  code: 'MESH203',
  name: 'consumer-impact',
  title: 'No downstream product reads a field that the change removes or retypes',
  severity: 'error',
  check: {
    port(port, sink) {
      const { removed, retyped } = port.fields();
      if (removed.length === 0 && retyped.size === 0) return;
      const readers = port.product.readersOf(port.base);
      const read = new Set<string>();
      for (const reader of readers) {
        const hit = reader.fields.filter((f) => removed.includes(f.path) || retyped.has(f.path));
        if (hit.length === 0) continue;
        for (const f of hit) read.add(f.path);
        const consumer = reader.edge.consumer.id;
        const { team, oncall } = port.product.team(consumer);
        const what = hit.map((f) => (retyped.has(f.path) ? `${f.path} (retyped ${retyped.get(f.path)!.from} -> ${retyped.get(f.path)!.to})` : `${f.path} (removed)`));
        const reason = `reads ${what.join(', ')}`;
        sink.impact({ consumer, team, oncall, port: port.head.name, fields: hit.map((f) => f.path), reason });
        sink.breaking(`${port.head.name}: breaks ${consumer}, which ${reason}`);
        sink.report({
          document: port.product.head!.document,
          path: port.path('schema'),
          message: `this change breaks ${consumer} (team ${team}, on-call ${oncall}), which ${reason} from "${port.head.name}"`,
          hint: `keep the field, or ship the change as a new port version and agree the migration with ${team}`,
        });
      }
      const evidence = readers.length === 0 ? 'no product reads this port' : readers.map((r) => `${r.edge.consumer.id} reads ${r.fields.map((f) => f.path).join(', ') || 'the port'}`).join('; ');
      for (const path of [...removed, ...retyped.keys()].filter((p) => !read.has(p))) {
        const change = retyped.has(path) ? `retypes ${path} (${retyped.get(path)!.from} -> ${retyped.get(path)!.to})` : `removes ${path}`;
        sink.safe({ port: port.head.name, change, evidence });
        sink.report({
          severity: 'info',
          document: port.product.head!.document,
          path: port.path('schema'),
          message: `"${port.head.name}" ${change}: safe for consumers, none reads it (${evidence})`,
        });
      }
    },
  },
};
