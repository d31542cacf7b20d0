#!/usr/bin/env node
'use strict';
/**
 * The public API of each published package (the fixed group of .changeset/config.json), reviewed
 * like code: API Extractor writes the report of each built entry point (api-extractor.json, and
 * api-extractor.<entry>.json for a subpath export) and this script
 *   1. fails when a report differs from the committed one (packages/<p>/etc/<name>.api.md):
 *      the API changed and the report was not updated;
 *   2. fails when the committed report lost lines of the package's released report without a
 *      `major` changeset for that package in .changeset/*.md: an export removed or narrowed.
 * The released report is the one of the commit that set the package's current version (what
 * `changeset version` wrote at the last release); a package never released with a report has
 * none, and only check 1 applies. A line lost is a declaration removed, or a member, parameter
 * or type of one changed: each is breaking for some user, so it needs a major bump.
 *
 *   node scripts/api-check.js            check (npm run lint runs it; needs npm run build)
 *   node scripts/api-check.js --update   write the reports (then review and commit etc/)
 *
 * Exit 0 when every package passes, 1 otherwise, with one line per finding.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

/** The API Extractor configs of a package folder: api-extractor.json first, then api-extractor.<entry>.json. */
function configsOf(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => /^api-extractor(\.[a-z0-9-]+)?\.json$/.test(f))
    .sort((a, b) => (a === 'api-extractor.json' ? -1 : b === 'api-extractor.json' ? 1 : a.localeCompare(b)))
    .map((f) => path.join(dir, f));
}

/**
 * Runs API Extractor on one config. Returns { reportFile, committed, current, problems }:
 * the committed report's text (undefined when there is none), the text of the API as built,
 * and API Extractor's own errors and warnings.
 */
function extract(configFile, { update = false } = {}) {
  const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');
  const config = ExtractorConfig.loadFileAndPrepare(configFile);
  if (!fs.existsSync(config.mainEntryPointFilePath)) {
    return { reportFile: config.reportFilePath, problems: [`${path.relative(REPO, config.mainEntryPointFilePath)} is missing: npm run build`] };
  }
  fs.mkdirSync(path.dirname(config.reportFilePath), { recursive: true });
  const committed = fs.existsSync(config.reportFilePath) ? fs.readFileSync(config.reportFilePath, 'utf8') : undefined;
  const problems = [];
  let result;
  try {
    result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (message) => {
      if (message.logLevel === 'error' || message.logLevel === 'warning') {
        if (!String(message.messageId).startsWith('console-api-report-')) {
          problems.push(`${message.sourceFilePath ? `${path.relative(REPO, message.sourceFilePath)}:${message.sourceFileLine}: ` : ''}${message.messageId}: ${message.text}`);
        }
      }
      message.handled = true;
    },
    });
  } catch (error) {
    return { reportFile: config.reportFilePath, problems: [`API Extractor failed on ${path.relative(REPO, configFile)}: ${String(error.message).split('\n')[0]}`] };
  }
  if (!result.succeeded && problems.length === 0 && !result.apiReportChanged) problems.push(`API Extractor failed on ${path.relative(REPO, configFile)} (${result.errorCount} errors, ${result.warningCount} warnings)`);
  const current = fs.readFileSync(update ? config.reportFilePath : config.reportTempFilePath, 'utf8');
  return { reportFile: config.reportFilePath, committed, current, problems };
}

/** The lines of an API report that carry API (not the header, blank lines or the warning comments). */
function apiLines(report) {
  return report
    .split('\n')
    .map((l) => l.trimEnd())
    // comments (release tags, "(undocumented)", API Extractor's warnings) change with the docs, not the API
    .filter((l) => l.trim() && !l.startsWith('## API Report File') && !l.startsWith('> Do not edit') && !/^\s*\/\//.test(l) && l !== '```ts' && l !== '```');
}

/** The lines of the released report the current one no longer has (a multiset difference). */
function lostLines(released, current) {
  const left = new Map();
  for (const l of apiLines(current)) left.set(l, (left.get(l) ?? 0) + 1);
  const lost = [];
  for (const l of apiLines(released)) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else lost.push(l.trim());
  }
  return lost;
}

/** The bump each pending changeset (.changeset/*.md, front matter `"name": major|minor|patch`) gives each package: the highest. */
function pendingBumps(changesetDir) {
  const order = { patch: 1, minor: 2, major: 3 };
  const bumps = new Map();
  if (!fs.existsSync(changesetDir)) return bumps;
  for (const f of fs.readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = fs.readFileSync(path.join(changesetDir, f), 'utf8');
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!front) continue;
    for (const line of front[1].split(/\r?\n/)) {
      const m = /^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (m && order[m[2]] > (order[bumps.get(m[1])] ?? 0)) bumps.set(m[1], m[2]);
    }
  }
  return bumps;
}

/** Runs git in the repository; undefined when it fails. */
function git(cwd, args) {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return undefined;
  }
}

/**
 * The report as released: the file at the commit that set the package's current version (the
 * `changeset version` commit of a release). { report } (undefined when that commit had none: the
 * version was set before the reports existed, as 0.1.0 was, and nothing to compare with), or
 * { error } when history cannot tell.
 */
function releasedReport(repo, packageDir, reportFile, version) {
  const manifest = path.relative(repo, path.join(packageDir, 'package.json')).split(path.sep).join('/');
  const file = path.relative(repo, reportFile).split(path.sep).join('/');
  if (git(repo, ['rev-parse', '--git-dir']) === undefined) return { error: `${repo} is not a git repository: the released API report is in its history` };
  if (git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']) === undefined) return { report: undefined }; // no commit yet: nothing released
  if (git(repo, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true') return { error: 'the clone is shallow: the released API report is in the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)' };
  const commits = git(repo, ['log', '--format=%H', '-G', `"version": "${version.replace(/\./g, '\\.')}"`, '--', manifest]);
  if (commits === undefined) return { error: `git log failed in ${repo}` };
  const introduced = commits.trim().split('\n').filter(Boolean).pop();
  if (!introduced) return { report: undefined };
  return { report: git(repo, ['show', `${introduced}:${file}`]) };
}

/**
 * The findings of one package: report out of date, export removed or narrowed without a major
 * changeset. `extracted` is the output of extract() for each of its configs.
 */
function judge({ repo, name, version, dir, extracted, bumps }) {
  const findings = [];
  for (const e of extracted) {
    const rel = path.relative(repo, e.reportFile);
    findings.push(...e.problems.map((p) => `${name}: ${p}`));
    if (e.current === undefined) continue;
    if (e.committed === undefined) findings.push(`${name}: no committed API report ${rel}: node scripts/api-check.js --update, review and commit it`);
    else if (e.committed !== e.current) {
      const lost = lostLines(e.committed, e.current);
      findings.push(`${name}: the API changed and ${rel} was not updated (${lost.length ? `lost: ${lost.slice(0, 3).join(' | ')}${lost.length > 3 ? ` ... ${lost.length - 3} more` : ''}` : 'additions only'}): node scripts/api-check.js --update, review and commit it`);
    }
    const released = releasedReport(repo, dir, e.reportFile, version);
    if (released.error) {
      findings.push(`${name}: cannot check for removed exports: ${released.error}`);
      continue;
    }
    if (released.report === undefined) continue;
    const lost = lostLines(released.report, e.committed ?? e.current);
    if (lost.length && bumps.get(name) !== 'major') {
      findings.push(
        `${name}: exports removed or narrowed since ${version} without a major changeset (${bumps.has(name) ? `the pending one is ${bumps.get(name)}` : 'none pending'}): ${lost.slice(0, 5).join(' | ')}${lost.length > 5 ? ` ... ${lost.length - 5} more` : ''} (${rel}); add one: npx changeset (major for ${name}), or restore them`,
      );
    }
  }
  return findings;
}

/** The published packages: the fixed group of .changeset/config.json, with their folders. */
function publishedPackages(repo) {
  const names = JSON.parse(fs.readFileSync(path.join(repo, '.changeset', 'config.json'), 'utf8')).fixed[0];
  const dirs = new Map();
  for (const d of fs.readdirSync(path.join(repo, 'packages'))) {
    const file = path.join(repo, 'packages', d, 'package.json');
    if (fs.existsSync(file)) dirs.set(JSON.parse(fs.readFileSync(file, 'utf8')).name, path.join(repo, 'packages', d));
  }
  return names.map((name) => {
    const dir = dirs.get(name);
    if (!dir) throw new Error(`.changeset/config.json names ${name}, which no packages/*/package.json is`);
    return { name, dir, version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version };
  });
}

/** Checks (or with update, writes) the API reports of the packages; returns the findings. */
function checkApi(repo, packages, { update = false } = {}) {
  const bumps = pendingBumps(path.join(repo, '.changeset'));
  const findings = [];
  for (const p of packages) {
    const configs = configsOf(p.dir);
    if (configs.length === 0) {
      findings.push(`${p.name}: no api-extractor.json in ${path.relative(repo, p.dir)}`);
      continue;
    }
    const extracted = configs.map((c) => extract(c, { update }));
    if (update) for (const e of extracted) e.committed = e.current;
    findings.push(...judge({ repo, name: p.name, version: p.version, dir: p.dir, extracted, bumps }));
  }
  return findings;
}

module.exports = { apiLines, checkApi, extract, judge, lostLines, pendingBumps, releasedReport };

if (require.main === module) {
  const update = process.argv.includes('--update');
  const packages = publishedPackages(REPO);
  const findings = checkApi(REPO, packages, { update });
  for (const f of findings) console.error(`api-check: ${f}`);
  if (findings.length) process.exitCode = 1;
  else console.log(`api-check: ${packages.length} packages, API reports ${update ? 'written' : 'up to date'}, no export removed or narrowed without a major changeset`);
}
