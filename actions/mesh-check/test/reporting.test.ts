import type { CheckReport } from '@data-mesh/check';
import { codeDocsUrl, type Diagnostic } from '@data-mesh/spec';
import { planAnnotations, renderAnnotation } from '../src/annotations';
import { parseUnifiedDiff, unquoteGitPath } from '../src/changed-lines';
import { COMMENT_LIMIT, COMMENT_MARKER } from '../src/comment';
import { cell, renderComment, renderSummary, SUMMARY_LIMIT_BYTES } from '../src/render';
import { decideOutcome } from '../src/verdict';
import { escapeData, escapeProperty, workflowCommand } from '../src/workflow-commands';
import { annotations } from './support/run-action';

const d = (over: Partial<Diagnostic> & Pick<Diagnostic, 'file' | 'line'>): Diagnostic => ({
  severity: 'error',
  code: 'MESH109',
  message: 'a finding',
  column: 3,
  ...over,
});

const report = (diagnostics: Diagnostic[], over: Partial<CheckReport> = {}): CheckReport => ({
  diagnostics,
  summary: {
    domains: 3,
    products: 9,
    errors: diagnostics.filter((x) => x.severity === 'error').length,
    warnings: diagnostics.filter((x) => x.severity === 'warning').length,
    breaking: 0,
  },
  changes: [],
  markdown: '### Changed products\n\n| product | verdict |\n|---|---|\n| customer/customer-events-v1 | major needed, minor made |\n',
  scope: { mode: 'full', allPolicies: true, phases: {} },
  ...over,
});

describe('workflow commands', () => {
  it.each([
    ['100%', '100%25'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A literal', '%250A literal'],
  ])('escapes data %j', (raw, escaped) => {
    expect(escapeData(raw)).toBe(escaped);
  });

  it('escapes properties: a file name cannot inject a property or end the command', () => {
    expect(escapeProperty('dom,line=1::x%\n')).toBe('dom%2Cline=1%3A%3Ax%25%0A');
    const line = workflowCommand('error', { file: 'domains/a,line=99/x:y.yaml', line: 4, col: 2, title: 'MESH1' }, 'bad\n::warning::injected');
    expect(line).toBe('::error file=domains/a%2Cline=99/x%3Ay.yaml,line=4,col=2,title=MESH1::bad%0A::warning::injected');
    expect(line.split('\n')).toHaveLength(1);
    const [parsed] = annotations(line);
    expect(parsed).toEqual({ level: 'error', props: { file: 'domains/a,line=99/x:y.yaml', line: '4', col: '2', title: 'MESH1' }, message: 'bad\n::warning::injected' });
  });

  it('puts the hint on a second line of the annotation', () => {
    expect(renderAnnotation(d({ file: 'f.yaml', line: 2, hint: 'did you mean: occurred_at?' }))).toBe(
      '::error file=f.yaml,line=2,col=3,title=MESH109::a finding%0Ahint: did you mean: occurred_at?',
    );
  });

  it("ends with the code's documentation link, at the commit checked", () => {
    const link = (code: string) => codeDocsUrl(code, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/mesh', GITHUB_SHA: 'abc123' });
    expect(renderAnnotation(d({ file: 'f.yaml', line: 2 }), link)).toBe('::error file=f.yaml,line=2,col=3,title=MESH109::a finding%0AMESH109: https://github.com/acme/mesh/blob/abc123/docs/codes.md#mesh109');
    expect(planAnnotations([d({ file: 'f.yaml', line: 2 })], undefined, undefined, link).lines[0]).toMatch(/%0AMESH109: https:\/\/github.com\/acme\/mesh\/blob\/abc123\/docs\/codes.md#mesh109$/);
  });
});

describe('annotation plan', () => {
  const changed = parseUnifiedDiff(['+++ b/changed.yaml', '@@ -10,0 +11,2 @@', '@@ -30 +32 @@'].join('\n'));

  it('shows findings on changed lines first, then changed files, then the rest, within 10 per level', () => {
    const diags = [
      ...Array.from({ length: 12 }, (_, i) => d({ file: 'other.yaml', line: i + 1 })),
      d({ file: 'changed.yaml', line: 1 }),
      d({ file: 'changed.yaml', line: 12, message: 'on a changed line' }),
      d({ file: 'changed.yaml', line: 32, message: 'also changed' }),
      ...Array.from({ length: 3 }, (_, i) => d({ file: 'other.yaml', line: 50 + i, severity: 'warning', code: 'MESH301' })),
    ];
    const plan = planAnnotations(diags, changed);
    const errors = plan.shown.filter((x) => x.severity === 'error');
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 3).map((x) => `${x.file}:${x.line}`)).toEqual(['changed.yaml:12', 'changed.yaml:32', 'changed.yaml:1']);
    expect(plan.shown.filter((x) => x.severity === 'warning')).toHaveLength(3);
    expect(plan.omitted).toEqual({ error: 5, warning: 0, info: 0 });
    const last = annotations(plan.lines[plan.lines.length - 1]!)[0]!;
    expect(last.level).toBe('notice');
    expect(last.message).toMatch(/^5 more findings \(5 errors\) did not fit/);
    expect(plan.lines).toHaveLength(14);
  });

  it('keeps one notice slot for the overflow line', () => {
    const diags = Array.from({ length: 12 }, (_, i) => d({ file: 'x.yaml', line: i + 1, severity: 'info', code: 'MESH150' }));
    const plan = planAnnotations(diags, undefined);
    const notices = annotations(plan.lines.join('\n')).filter((a) => a.level === 'notice');
    expect(notices).toHaveLength(10);
    expect(plan.omitted.info).toBe(3);
  });

  it('prints no notice when everything fits', () => {
    const plan = planAnnotations([d({ file: 'a', line: 1 })], undefined);
    expect(plan.lines).toHaveLength(1);
  });
});

describe('git diff parsing', () => {
  it('reads added and modified lines; a pure deletion marks the lines around it', () => {
    const diff = [
      'diff --git a/x.yaml b/x.yaml',
      '--- a/x.yaml',
      '+++ b/x.yaml',
      '@@ -3 +3 @@ key:',
      '@@ -8,2 +8,0 @@',
      '@@ -20,0 +19,3 @@',
      'diff --git a/gone.yaml b/gone.yaml',
      '--- a/gone.yaml',
      '+++ /dev/null',
      '@@ -1,4 +0,0 @@',
    ].join('\n');
    expect([...parseUnifiedDiff(diff)]).toEqual([['x.yaml', [[3, 3], [8, 9], [19, 21]]]]);
  });

  it('unquotes C-quoted paths', () => {
    expect(unquoteGitPath('"b/dom\\303\\251/a\\tb\\"c.yaml"')).toBe('b/domé/a\tb"c.yaml');
    expect(unquoteGitPath('b/plain.yaml')).toBe('b/plain.yaml');
  });
});

describe('outcome and the allow-breaking label', () => {
  const breaking = [
    d({ file: 'domains/customer/schemas/customer_events_v1.avsc', line: 9, code: 'MESH201' }),
    d({ file: 'domains/customer/customer-360/data-product.yaml', line: 41, code: 'MESH109' }),
  ];
  const base = { diagnostics: breaking, breaking: 1, failOn: 'error' as const, label: 'mesh:allow-breaking', brokenConsumers: ['customer/customer-360'] };

  it('fails on a breaking change without the label', () => {
    const o = decideOutcome({ ...base, labelled: false });
    expect(o).toMatchObject({ failed: true, breakingAccepted: false, blockingErrors: 2 });
  });

  it('passes with the label: the break and its consequence in the broken consumer are accepted', () => {
    const o = decideOutcome({ ...base, labelled: true });
    expect(o).toMatchObject({ failed: false, breakingAccepted: true, blockingErrors: 0 });
    expect(o.headline).toContain('accepted by the `mesh:allow-breaking` label');
  });

  it('still fails with the label on a finding that is not part of the break', () => {
    const o = decideOutcome({ ...base, labelled: true, diagnostics: [...breaking, d({ file: 'domains/payments/refund-events-v1/data-product.yaml', line: 3, code: 'MESH104' })] });
    expect(o).toMatchObject({ failed: true, blockingErrors: 1 });
  });

  it.each([
    ['error', [d({ file: 'a', line: 1, severity: 'warning' })], false],
    ['warning', [d({ file: 'a', line: 1, severity: 'warning' })], true],
    ['never', [d({ file: 'a', line: 1 })], false],
    ['error', [d({ file: 'a', line: 1, severity: 'info' })], false],
  ] as const)('fail-on %s', (failOn, diagnostics, failed) => {
    expect(decideOutcome({ diagnostics, breaking: 0, failOn, labelled: false, label: '' }).failed).toBe(failed);
  });
});

describe('comment and summary bodies', () => {
  const outcome = decideOutcome({ diagnostics: [], breaking: 0, failOn: 'error', labelled: false, label: 'mesh:allow-breaking' });
  const ctx = { outcome, label: 'mesh:allow-breaking', baseDescription: 'HEAD^1', runUrl: 'https://github.example.com/o/r/actions/runs/1' };

  it('opens with the marker, the verdict and the engine report, and links the run', () => {
    const body = renderComment(report([d({ file: 'domains/a.yaml', line: 4 })]), ctx);
    expect(body.startsWith(`${COMMENT_MARKER}\n## ✅ mesh check\n`)).toBe(true);
    expect(body).toContain('| customer/customer-events-v1 | major needed, minor made |');
    expect(body).toContain('[this run](https://github.example.com/o/r/actions/runs/1)');
  });

  it('tells how to accept a break, and says so when the label accepted it', () => {
    const broken = report([], { summary: { domains: 1, products: 1, errors: 1, warnings: 0, breaking: 1 } });
    expect(renderComment(broken, ctx)).toContain('a reviewer adds the `mesh:allow-breaking` label');
    const accepted = decideOutcome({ diagnostics: [], breaking: 1, failOn: 'error', labelled: true, label: 'mesh:allow-breaking' });
    expect(renderComment(broken, { ...ctx, outcome: accepted })).toContain('A reviewer accepted the breaking changes with the `mesh:allow-breaking` label');
  });

  it('stays under 65,536 characters and 1 MiB with a huge report, closing a cut code fence', () => {
    const huge = report([], { markdown: '### Changed\n\n```mermaid\ngraph LR\n' + 'a-->b\n'.repeat(300_000) + '```\n' });
    const comment = renderComment(huge, ctx);
    expect(comment.length).toBeLessThan(COMMENT_LIMIT);
    expect((comment.match(/```/g) ?? []).length % 2).toBe(0);
    expect(comment).toMatch(/The report was cut here to fit GitHub's size limit/);
    const summary = renderSummary(huge, ctx);
    expect(Buffer.byteLength(summary)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(COMMENT_LIMIT);
  });

  it('drops the engine\'s own verdict line: the header (fail-on, label) replaces it', () => {
    const md = '## Data mesh check\n\n❌ **mesh check failed**: 3 error(s), 0 warning(s).\n\n### Changed products\n\n| a |\n';
    const body = renderComment(report([], { markdown: md }), ctx);
    expect(body).not.toContain('Data mesh check');
    expect(body).not.toContain('**mesh check failed**');
    expect(body).toContain('### Changed products');
  });

  it('escapes table cells', () => {
    expect(cell('a|b\nc')).toBe('a\\|b<br>c');
  });
});
