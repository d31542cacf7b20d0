import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateChange, validateMesh, validateMeshParallel, type Diagnostic } from '../src';
import { gitMesh, lineOf, meshWith, ORDERS, replace, REVENUE } from './helpers';

const DEPRECATED_PORT = replace('      format: avro\n', '      format: avro\n      deprecated: true\n      sunset: "2027-03-31"\n');
const lifecycle = (found: readonly Diagnostic[]) => found.filter((d) => d.code === 'MESH123').map((d) => `${d.severity} ${d.file}:${d.line}`);

describe('a reader of a deprecated port, judged on the day the caller gives', () => {
  const beforeSunset = new Date('2027-03-30T23:59:59Z');
  const onSunset = new Date('2027-03-31T00:00:00Z');

  it('is warned up to the sunset and fails from the sunset day on, in every way of validating', async () => {
    const repo = gitMesh();
    fs.writeFileSync(path.join(repo.root, ORDERS), DEPRECATED_PORT(fs.readFileSync(path.join(repo.root, ORDERS), 'utf8')));
    const at = `${REVENUE}:${lineOf(repo.root, REVENUE, 'sourceProduct: orders/order-events-v1')}`;
    for (const [now, severity] of [[beforeSunset, 'warning'], [onSunset, 'error']] as const) {
      expect(lifecycle(validateMesh(repo.root, { now }).diagnostics)).toEqual([`${severity} ${at}`]);
      expect(lifecycle((await validateMeshParallel(repo.root, { jobs: 2, minProductsPerJob: 1, now })).diagnostics)).toEqual([`${severity} ${at}`]);
      expect(lifecycle(validateChange(repo.root, { base: 'HEAD', now }).diagnostics)).toEqual([`${severity} ${at}`]);
    }
  });

  it('is reported at its port pin when it pins the deprecated port', () => {
    const root = meshWith({ [ORDERS]: DEPRECATED_PORT, [REVENUE]: replace('    - sourceProduct: orders/order-events-v1\n', '    - sourceProduct: orders/order-events-v1\n      port: order_events\n') });
    const found = validateMesh(root, { now: beforeSunset }).diagnostics.filter((d) => d.code === 'MESH123');
    expect(found).toEqual([expect.objectContaining({ severity: 'warning', line: lineOf(root, REVENUE, 'port: order_events'), message: expect.stringContaining('deprecated until its sunset 2027-03-31'), hint: expect.stringContaining('ask orders-team what replaces it') })]);
  });

  it('says nothing of a retired reader', () => {
    const root = meshWith({ [ORDERS]: DEPRECATED_PORT, [REVENUE]: replace('  domain: finance\n', '  domain: finance\n  status: retired\n') });
    expect(validateMesh(root, { now: onSunset }).diagnostics).toEqual([]);
  });
});
