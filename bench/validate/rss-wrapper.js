#!/usr/bin/env node
'use strict';
/**
 * Fallback peak-RSS probe when /usr/bin/time is missing:
 *   node bench/validate/rss-wrapper.js SCRIPT [ARGS...]
 * runs SCRIPT in this very process (as `node SCRIPT ARGS...` would) and, on exit, appends
 * `MESH_BENCH_MAXRSS_KB <n> CPU_S <user> <sys>` (process.resourceUsage()) to stderr.
 */
const path = require('path');
const script = path.resolve(process.argv[2]);
process.argv = [process.argv[0], script, ...process.argv.slice(3)];
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nMESH_BENCH_MAXRSS_KB ${u.maxRSS} CPU_S ${(u.userCPUTime / 1e6).toFixed(2)} ${(u.systemCPUTime / 1e6).toFixed(2)}\n`);
});
require('module').runMain(script);
