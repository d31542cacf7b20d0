module.exports = {
  ...require('../../jest.preset.js')(__dirname),
  // The runner-style tests start the bundled Action as a process and run git: allow them time.
  testTimeout: 120_000,
};
