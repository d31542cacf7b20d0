// The benchmarks are plain JavaScript; the smoke test spawns each one as a user would.
module.exports = { ...require('../jest.preset.js')(__dirname), testMatch: ['<rootDir>/test/**/*.test.js'] };
