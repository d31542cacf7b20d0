#!/usr/bin/env node
// Prints the OPA_CHECKSUMS entry of src/opa.ts for one OPA release, from the release's own
// `<asset>.sha256` files (run it where GitHub is reachable, then paste the entry and review it):
//
//   node scripts/opa-checksums.js 1.22.3 [--base-url https://github.com/open-policy-agent/opa/releases/download]
/* global fetch */
const { URL } = require('node:url');

const PLATFORMS = {
  linux_amd64: 'opa_linux_amd64_static',
  linux_arm64: 'opa_linux_arm64_static',
  darwin_amd64: 'opa_darwin_amd64',
  darwin_arm64: 'opa_darwin_arm64_static',
  windows_amd64: 'opa_windows_amd64.exe',
};

async function main() {
  const [version] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const i = process.argv.indexOf('--base-url');
  const base = i > 0 ? process.argv[i + 1] : 'https://github.com/open-policy-agent/opa/releases/download';
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error('usage: opa-checksums.js <version, e.g. 1.22.3> [--base-url URL]');
  const entry = {};
  for (const [platform, asset] of Object.entries(PLATFORMS)) {
    const url = new URL(`${base.replace(/\/$/, '')}/v${version}/${asset}.sha256`);
    const response = await fetch(url, { redirect: 'follow' });
    if (!response.ok) {
      console.error(`skip ${platform}: ${url} answered HTTP ${response.status}`);
      continue;
    }
    // The file holds "<sha256>  <asset>".
    const [sha, name] = (await response.text()).trim().split(/\s+/);
    if (!/^[0-9a-f]{64}$/.test(sha ?? '') || (name && name.replace(/^\*/, '') !== asset)) throw new Error(`${url}: unexpected content`);
    entry[platform] = sha;
  }
  if (!Object.keys(entry).length) throw new Error('no checksum found');
  const lines = Object.entries(entry).map(([p, sha]) => `    ${p}: '${sha}',`);
  console.log(`  '${version}': {\n${lines.join('\n')}\n  },`);
}

main().catch((error) => {
  console.error(`opa-checksums: ${error.message}`);
  process.exit(1);
});
