// Shared jest settings: tests run on the TypeScript sources (transformed by swc), and
// workspace imports resolve to sources too, so a test never sees a stale dist/.
const path = require('node:path');

module.exports = function preset(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    // Many tests run git, opa or CDK synthesis as real processes: allow for a busy machine.
    testTimeout: 60_000,
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    moduleNameMapper: {
      '^@data-mesh/infra$': path.join(__dirname, 'infra/src/index.ts'),
      '^@data-mesh/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
      '^@data-mesh/spec/core$': path.join(__dirname, 'packages/spec/src/core.ts'),
    },
  };
};
