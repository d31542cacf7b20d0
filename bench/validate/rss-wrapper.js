#!/usr/bin/env node
'use strict';
/**
 * Fallback peak-RSS probe when /usr/bin/time is missing:
 *   node bench/validate/rss-wrapper.js SCRIPT [ARGS...]
 * runs SCRIPT in this very process (as `node SCRIPT ARGS...` would) and, on exit, appends
 * `MESH_BENCH_MAXRSS_KB <n>` (process.resourceUsage().maxRSS) to stderr.
 */
const path = require('path');
const script = path.resolve(process.argv[2]);
process.argv = [process.argv[0], script, ...process.argv.slice(3)];
process.on('exit', () => {
  process.stderr.write(`\nMESH_BENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
require('module').runMain(script);
