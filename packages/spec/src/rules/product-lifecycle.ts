import { isCalendarDate, productStatus } from '../lifecycle';
import type { Rule } from './rule';

export const productLifecycle: Rule = {
  code: 'MESH122',
  name: 'product-lifecycle',
  title: 'A deprecated product has a sunset date, only a deprecated or retired one has one, and its migration dates are calendar dates',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const { metadata } = product.spec;
      const status = productStatus(product);
      if (status === 'deprecated' && metadata.sunset === undefined) {
        report({ document: product.document, path: ['metadata', 'status'], message: `the deprecated product ${product.id} has no sunset date`, hint: 'add metadata.sunset: "YYYY-MM-DD" so its consumers know how long they have to move' });
      }
      if (metadata.sunset !== undefined && !isCalendarDate(metadata.sunset)) {
        report({ document: product.document, path: ['metadata', 'sunset'], message: `sunset "${metadata.sunset}" is not a calendar date` });
      } else if (metadata.sunset !== undefined && status !== 'deprecated' && status !== 'retired') {
        report({ document: product.document, path: ['metadata', 'sunset'], message: `${product.id} has a sunset date but its status is ${status}`, hint: 'set metadata.status: deprecated, or remove the sunset' });
      }
      const cutover = metadata.migration?.cutover;
      if (cutover !== undefined && !isCalendarDate(cutover)) {
        report({ document: product.document, path: ['metadata', 'migration', 'cutover'], message: `cutover "${cutover}" is not a calendar date` });
      }
    }
  },
};
