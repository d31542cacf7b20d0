#!/usr/bin/env node
'use strict';
const path = require('node:path');
const { requireCached } = require('./compile-cache');

const args = process.argv.slice(2);
requireCached(path.join(__dirname, '..', 'dist', 'mesh.bundle.js'), args.find((a) => !a.startsWith('-')) ?? '')
  .main(args)
  .then((code) => {
    process.exitCode = code;
  });
