import { isCalendarDate } from '../lifecycle';
import type { Rule } from './rule';

export const deprecation: Rule = {
  code: 'MESH118',
  name: 'deprecation',
  title: 'A deprecated port has a sunset date, and only a deprecated port has one',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      for (const port of product.outputPorts) {
        const path = ['spec', 'outputPorts', port.index];
        const { deprecated, sunset } = port.spec;
        if (deprecated && sunset === undefined) {
          report({ document: product.document, path: [...path, 'deprecated'], message: `the deprecated port "${port.name}" has no sunset date`, hint: 'add sunset: "YYYY-MM-DD" so consumers know how long they have to migrate' });
        }
        if (sunset !== undefined && !isCalendarDate(sunset)) {
          report({ document: product.document, path: [...path, 'sunset'], message: `sunset "${sunset}" is not a calendar date` });
        } else if (sunset !== undefined && !deprecated) {
          report({ document: product.document, path: [...path, 'sunset'], message: `the port "${port.name}" has a sunset date but is not deprecated`, hint: 'add deprecated: true, or remove the sunset' });
        }
      }
    }
  },
};
