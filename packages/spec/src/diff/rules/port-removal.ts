import type { ChangeRule } from '../context';

export const portRemoval: ChangeRule = {
  code: 'MESH204',
  name: 'port-removal',
  title: 'A port goes only once deprecated, after its sunset, and when no consumer reads it',
  severity: 'error',
  check(product, sink) {
    const { base, head } = product;
    if (!base || !head) return;
    for (const port of head.outputPorts) {
      if (!base.outputPorts.some((p) => p.name === port.name)) sink.additive(`new port ${port.name}`);
    }
    for (const port of base.outputPorts) {
      if (head.outputPorts.some((p) => p.name === port.name)) continue;
      const readers = product.readersOf(port);
      const sunset = port.spec.sunset;
      const sunsetPassed = sunset !== undefined && sunset <= product.now.toISOString().slice(0, 10);
      if (port.spec.deprecated && sunsetPassed && readers.length === 0) {
        sink.additive(`removed the deprecated port ${port.name} after its sunset (${sunset}); no consumer reads it`);
        continue;
      }
      for (const reader of readers) {
        const consumer = reader.edge.consumer.id;
        const { team, oncall } = product.team(consumer);
        sink.impact({ consumer, team, oncall, port: port.name, fields: reader.fields.map((f) => f.path), reason: 'reads a port that is removed' });
      }
      const why = !port.spec.deprecated
        ? 'it was never deprecated'
        : !sunsetPassed
          ? `its sunset date ${sunset} has not passed`
          : `${readers.length} consumer(s) still read it`;
      sink.breaking(`removed the port ${port.name}: ${why}`);
      sink.report({
        document: head.document,
        path: ['spec', 'outputPorts'],
        anchor: 'key',
        message: `the port "${port.name}" is removed but ${why}${readers.length ? ` (read by ${readers.map((r) => r.edge.consumer.id).join(', ')})` : ''}`,
        hint: 'keep it, marked deprecated: true with a sunset date, until its consumers have moved',
      });
    }
  },
};
