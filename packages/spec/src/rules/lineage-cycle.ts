import type { DataProduct, LineageEdge } from '../model';
import type { Rule } from './rule';

export const lineageCycle: Rule = {
  code: 'MESH116',
  name: 'lineage-cycle',
  title: 'Input ports form no cycle: a product never depends on itself through its inputs',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report }) {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: LineageEdge[] = [];
    // Iterative depth-first search, so a long lineage chain cannot overflow the call stack.
    for (const start of mesh.judgedProducts()) {
      if (state.has(start.id)) continue;
      const frames: { product: DataProduct; next: number }[] = [{ product: start, next: 0 }];
      state.set(start.id, 'visiting');
      while (frames.length > 0) {
        const frame = frames[frames.length - 1]!;
        const edge = frame.product.inputs[frame.next++];
        if (!edge) {
          state.set(frame.product.id, 'done');
          frames.pop();
          stack.pop();
          continue;
        }
        const source = edge.source;
        if (!source || !mesh.isJudged(source.id) || source.id === frame.product.id) continue;
        const seen = state.get(source.id);
        if (seen === 'visiting') {
          const from = stack.findIndex((e) => e.consumer.id === source.id);
          const cycle = [...stack.slice(from === -1 ? 0 : from), edge].map((e) => e.consumer.id);
          report({
            document: frame.product.document,
            path: ['spec', 'inputPorts', edge.index, 'sourceProduct'],
            message: `lineage cycle (each product reads the next): ${[...cycle, source.id].join(" -> ")}`,
            hint: 'a product cannot depend on its own output; split the shared part into its own product',
          });
        } else if (seen === undefined) {
          state.set(source.id, 'visiting');
          stack.push(edge);
          frames.push({ product: source, next: 0 });
        }
      }
    }
  },
};
