import { addDays, describeReference, isCalendarDate, productStatus, resolveReference } from '../lifecycle';
import type { Mesh } from '../mesh';
import type { DataProduct, PortReference, ProductReference } from '../model';
import type { Finding, Rule } from './rule';

/** A finding about a reference that does not name what exists; undefined when it resolves (or cannot be judged). */
function dangling(mesh: Mesh, reference: ProductReference | PortReference, from: DataProduct, path: (string | number)[]): Finding | undefined {
  const resolved = resolveReference(mesh, reference, from);
  if (resolved.ok !== false) return undefined;
  const id = reference.product ?? from.id;
  return resolved.missing === 'product'
    ? { document: from.document, path: [...path, 'product'], message: `the product ${id} does not exist` }
    : { document: from.document, path: [...path, 'port'], message: `${id} has no output port "${reference.port}"`, hint: `its ports are: ${resolved.product!.outputPorts.map((p) => p.name).join(', ')}` };
}

/** Whether the replaced product (or port) names `successor` as its replacement. */
function namesBack(replaced: DataProduct, portName: string | undefined, successor: DataProduct): boolean {
  const port = portName === undefined ? undefined : replaced.outputPorts.find((p) => p.name === portName);
  const references = [replaced.spec.metadata.replacedBy, port?.spec.replacedBy];
  return references.some((r) => r !== undefined && (r.product ?? replaced.id) === successor.id);
}

export const replacement: Rule = {
  code: 'MESH126',
  name: 'replacement',
  title: 'Replacements (replaces, replacedBy) name products and ports that exist; once cut over, a replaced product names its successor back and is served for the migration window',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    const judged = new Set(subjects().map((p) => p.id));
    for (const product of mesh.judgedProducts()) {
      const { metadata } = product.spec;
      // A finding here depends on the products named too: it is this run's when either side is judged.
      const mine = judged.has(product.id);
      if (mine && metadata.replacedBy) {
        const finding = dangling(mesh, metadata.replacedBy, product, ['metadata', 'replacedBy']);
        if (finding) report(finding);
      }
      if (mine) {
        for (const port of product.outputPorts) {
          const finding = port.spec.replacedBy && dangling(mesh, port.spec.replacedBy, product, ['spec', 'outputPorts', port.index, 'replacedBy']);
          if (finding) report(finding);
        }
      }
      (metadata.replaces ?? []).forEach((reference, i) => {
        if (!mine && !judged.has(reference.product)) return;
        const path = ['metadata', 'replaces', i];
        const finding = dangling(mesh, reference, product, path);
        if (finding) return report(finding);
        const resolved = resolveReference(mesh, reference, product);
        if (resolved.ok !== true) return;
        const replaced = resolved.product;
        const replacedStatus = productStatus(replaced);
        // Cut over: this product is authoritative and the one it replaces is on its way out.
        if (productStatus(product) !== 'active' || (replacedStatus !== 'deprecated' && replacedStatus !== 'retired')) return;
        if (!namesBack(replaced, reference.port, product)) {
          report({
            document: product.document,
            path,
            message: `${product.id} replaces ${describeReference(reference, product)}, which is ${replacedStatus} but does not name ${product.id} as its replacement`,
            hint: `add replacedBy: { product: ${product.id} } to ${reference.port === undefined ? `the metadata of ${replaced.id}` : `the port ${reference.port} of ${replaced.id}`}, so its consumers are told where to go`,
          });
        }
        const window = metadata.migration;
        const sunset = reference.port === undefined ? replaced.spec.metadata.sunset : resolved.port?.spec.sunset ?? replaced.spec.metadata.sunset;
        if (window?.cutover !== undefined && isCalendarDate(window.cutover) && sunset !== undefined && isCalendarDate(sunset)) {
          const earliest = addDays(window.cutover, window.windowDays);
          if (sunset < earliest) {
            report({
              document: product.document,
              path: ['metadata', 'migration', 'windowDays'],
              message: `${describeReference(reference, product)} has its sunset on ${sunset}, before the migration window of ${window.windowDays} days from the cutover ${window.cutover} ends (${earliest})`,
              hint: `move the sunset of ${replaced.id} to ${earliest} or later, or shorten the window`,
            });
          }
        }
      });
    }
  },
};
