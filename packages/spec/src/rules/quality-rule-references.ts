import { resolveInPorts } from '../fields';
import { resolvePortColumn } from '../lifecycle-fields';
import type { TopLevelField } from '../model';
import { parsedQualityChecks } from '../quality/checks';
import { referencesIn } from '../quality/rule-language';
import type { Rule } from './rule';

/** What values of two columns can be compared as: an int id is found among long ids, a string id is not. */
function valueFamily(field: TopLevelField): string {
  if (field.logicalType === 'date') return 'date';
  if (field.logicalType?.includes('timestamp')) return 'timestamp';
  if (field.logicalType === 'decimal' || ['int', 'long', 'float', 'double'].includes(field.type)) return 'number';
  if (field.type === 'string' || field.type === 'enum') return 'text';
  return field.type;
}

export const qualityRuleReferences: Rule = {
  code: 'MESH404',
  name: 'quality-rule-references',
  title: "A REFERENCES rule names another product's port and column that exist, of a type its values compare with",
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const product of subjects()) {
      parsedQualityChecks(product).forEach((rule, index) => {
        if (!rule.ok) return;
        for (const { column, target } of referencesIn(rule.expression)) {
          const at = { document: product.document, path: ['spec', 'qualityChecks', index, 'rule'], offsetInValue: target.offset };
          const other = mesh.products.get(target.product);
          if (!other) {
            report({ ...at, message: `REFERENCES ${target.product}: there is no such data product` });
            continue;
          }
          const port = other.outputPorts.find((p) => p.name === target.port);
          if (!port) {
            report({ ...at, message: `REFERENCES ${target.product}.${target.port}: ${target.product} has no output port "${target.port}"`, hint: `its ports: ${other.outputPorts.map((p) => p.name).join(', ')}` });
            continue;
          }
          const theirs = resolvePortColumn(port, target.column);
          if (!theirs.ok) {
            if (theirs.reason === 'no-schema') continue; // MESH106 reports the schema that did not load
            report({ ...at, message: `REFERENCES ${target.product}.${target.port}.${target.column}: ${theirs.reason === 'in-collection' ? 'the column is inside an array or a map, not one value per row' : theirs.reason === 'ambiguous' ? `the column is ambiguous: ${theirs.candidates.join(', ')}` : `port ${target.port} has no column "${target.column}"`}`, hint: theirs.reason === 'not-found' && theirs.candidates.length > 0 ? `did you mean: ${theirs.candidates.slice(0, 5).join(', ')}?` : undefined });
            continue;
          }
          const local = resolveInPorts(product.outputPorts, column, { suggest: false });
          const mine = local.ok ? resolvePortColumn(local.port, local.path) : undefined;
          if (mine?.ok && valueFamily(mine.field) !== valueFamily(theirs.field)) {
            report({ ...at, message: `REFERENCES ${target.product}.${target.port}.${target.column}: ${column} is a ${valueFamily(mine.field)} and ${target.column} a ${valueFamily(theirs.field)}, so no value would ever be found` });
          }
        }
      });
    }
  },
};
