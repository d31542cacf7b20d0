import type { Diagnostic } from '@data-mesh/spec';

const escapeXml = (s: string): string =>
  s
    // Characters XML 1.0 cannot hold at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * A JUnit XML report: a test suite per file with findings, a test case per finding, a failure
 * per error (warnings and notes pass, their text in system-out). A run without findings is one
 * passing case, so that a CI's test view shows the check ran.
 */
export function renderJunit(diagnostics: readonly Diagnostic[], options: { readonly command: string; readonly docsUrl: (code: string) => string }): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, (list = []));
    list.push(d);
  }
  const suites: string[] = [];
  for (const [file, list] of byFile) {
    const failures = list.filter((d) => d.severity === 'error').length;
    const cases = list.map((d) => {
      const name = `${d.code} at ${file || '.'}:${d.line}:${d.column}`;
      const text = `${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}\ndocs: ${options.docsUrl(d.code)}`;
      const body = d.severity === 'error' ? `<failure type="${d.code}" message="${escapeXml(d.message)}">${escapeXml(text)}</failure>` : `<system-out>${escapeXml(text)}</system-out>`;
      return `    <testcase classname="${escapeXml(file || '.')}" name="${escapeXml(name)}">${body}</testcase>`;
    });
    suites.push(`  <testsuite name="${escapeXml(file || '.')}" tests="${list.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (suites.length === 0) suites.push(`  <testsuite name="${escapeXml(options.command)}" tests="1" failures="0" errors="0" skipped="0">\n    <testcase classname="${escapeXml(options.command)}" name="no findings"/>\n  </testsuite>`);
  const tests = Math.max(1, diagnostics.length);
  const failures = diagnostics.filter((d) => d.severity === 'error').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(options.command)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
