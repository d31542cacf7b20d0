import type { LineageEdge, OutputPort } from './model';

/** The source ports an input reads: the pinned port, or every port of the source. */
export function consumedPorts(edge: LineageEdge): readonly OutputPort[] {
  if (!edge.source) return [];
  if (edge.spec.port === undefined) return edge.source.outputPorts;
  return edge.source.outputPorts.filter((p) => p.name === edge.spec.port);
}
