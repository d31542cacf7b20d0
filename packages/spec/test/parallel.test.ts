import * as path from 'node:path';
import { lineOf, meshWith, ORDERS, replace, REVENUE } from './helpers';

// Worker threads run compiled JavaScript, so this test drives the built package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const built = require(path.resolve(__dirname, '..', 'dist')) as typeof import('../src');

describe('validateMeshParallel', () => {
  it('uses worker threads and reports exactly what one thread reports', async () => {
    const root = meshWith({
      [ORDERS]: replace('owner: orders-team', 'owner: finance-team'),
      [REVENUE]: (old) => old.replace('fields: [order_id, amount,', 'fields: [order_id, amount_usd,').replace('"revenue_usd >= 0"', '"revenue >= 0"'),
    });
    const single = built.validateMesh(root);
    const threaded = await built.validateMeshParallel(root, { jobs: 2, minProductsPerJob: 1 });
    expect(threaded.threads).toBe(2);
    expect(single.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['MESH103', 'MESH109', 'MESH402']));
    expect(threaded.diagnostics).toEqual(single.diagnostics);
    expect(threaded.summary).toEqual(single.summary);
    expect(threaded.diagnostics.find((d) => d.code === 'MESH109')?.line).toBe(lineOf(root, REVENUE, 'amount_usd'));
  });

  it('stays in one thread for a small mesh', async () => {
    const threaded = await built.validateMeshParallel(meshWith(), { jobs: 4 });
    expect(threaded.threads).toBe(1);
    expect(threaded.diagnostics).toEqual([]);
  });
});
