import { FAILING_EXAMPLES, PASSING_EXAMPLES, type ExampleEdit, type FailingExample, type PassingExample, type Swap } from '@data-mesh/spec';
import { Option, type Command } from 'commander';
import { CODE_CATALOG, CODES_PAGE, codeAnchor, codeInfo, docsUrl, type CodeInfo } from '../codes';
import { EXIT_CLEAN, UsageError, type Io } from '../io';

const AREA: Record<CodeInfo['area'], string> = {
  contract: 'contract rule, mesh validate',
  quality: 'quality-rule check, mesh validate',
  change: 'change rule, mesh diff and mesh check',
  policy: 'governance policy, mesh validate, mesh check and mesh policy',
  infra: 'infrastructure, mesh synth and mesh plan',
  import: 'ODCS import, mesh import odcs',
};

type Example = FailingExample | PassingExample;

function isSwaps(edit: ExampleEdit): edit is Swap | readonly Swap[] {
  return edit !== null && typeof edit !== 'string';
}

/** An example's change as diff lines per file: `-` the example mesh's text, `+` the example's. */
function exampleLines(example: Example): { file: string; lines: string[] }[] {
  return Object.entries(example.edits).map(([file, edit]) => {
    if (edit === null) return { file, lines: ['(the file deleted)'] };
    if (!isSwaps(edit)) return { file, lines: ['(a new file)', ...edit.trimEnd().split('\n').map((l) => `+ ${l}`)] };
    const swaps: readonly Swap[] = Array.isArray(edit) ? edit : [edit as Swap];
    return {
      file,
      lines: swaps.flatMap((s) => diffLines(body(s.replace), body(s.with))),
    };
  });
}

/** Lines both sides share at their start and end are context (`  `), the rest `-` and `+`. */
function diffLines(before: readonly string[], after: readonly string[]): string[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const context = (l: string) => `  ${l}`;
  return [
    ...before.slice(0, head).map(context),
    ...before.slice(head, before.length - tail).map((l) => `- ${l}`),
    ...after.slice(head, after.length - tail).map((l) => `+ ${l}`),
    ...before.slice(before.length - tail).map(context),
  ];
}

const body = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

interface Examples {
  readonly failing?: FailingExample;
  readonly passing?: PassingExample;
}

function examplesOf(code: string): Examples {
  return { failing: FAILING_EXAMPLES.find((e) => e.code === code), passing: PASSING_EXAMPLES.find((e) => e.code === code) };
}

/** The description and a blank line, unless it only repeats the title. */
function describe(info: CodeInfo): string[] {
  return info.description.toLowerCase() === info.title.toLowerCase() ? [] : [info.description, ''];
}

const PASSES_AS_IS = 'the example mesh as it is, without that change (it passes every rule)';

/** What `mesh explain CODE` prints. */
export function explainText(info: CodeInfo, env: Readonly<Record<string, string | undefined>> = {}): string {
  const out = [`${info.code} ${info.name} (${info.severity}; ${AREA[info.area]})`, info.title, '', ...describe(info)];
  const { failing, passing } = examplesOf(info.code);
  if (failing) {
    out.push(`Fails (${failing.name}):`);
    for (const { file, lines } of exampleLines(failing)) out.push(`  in ${file}`, ...lines.map((l) => `    ${l}`));
    out.push('');
    if (passing) {
      out.push(`Passes (${passing.name}):`);
      for (const { file, lines } of exampleLines(passing)) out.push(`  in ${file}`, ...lines.map((l) => `    ${l}`));
    } else out.push(`Passes: ${PASSES_AS_IS}.`);
    out.push('');
  }
  out.push(`Documentation: ${docsUrl(info.code, env)}`);
  return `${out.join('\n')}\n`;
}

/** Text for Markdown: `<` and `>` outside code spans escaped, so `<domain>` shows instead of vanishing as a tag. */
function md(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

function markdownExample(title: string, example: Example): string[] {
  return [title, '', ...exampleLines(example).flatMap(({ file, lines }) => [`In \`${file}\`:`, '', '```diff', ...lines.map((l) => (l.startsWith('(') ? `# ${l}` : l)), '```', ''])];
}

/** The section of docs/codes.md for one code. */
export function explainMarkdown(info: CodeInfo): string {
  const out = [`## ${info.code}`, '', `**${info.name}** (${info.severity}; ${AREA[info.area]}): ${md(info.title)}`, '', ...describe(info).map(md)];
  const { failing, passing } = examplesOf(info.code);
  if (failing) {
    out.push(...markdownExample(`Fails (${failing.name}):`, failing));
    if (passing) out.push(...markdownExample(`Passes (${passing.name}):`, passing));
    else out.push(`Passes: ${PASSES_AS_IS}.`, '');
  }
  return out.join('\n');
}

/** docs/codes.md: a section per code, generated from the code catalog and the rules' examples. */
export function codesPage(): string {
  const index = CODE_CATALOG.map((c) => `| [${c.code}](#${codeAnchor(c.code)}) | ${c.name} | ${c.severity} | ${md(c.title).replace(/\|/g, '\\|')} |`);
  return [
    '# Finding codes',
    '',
    'Every code `mesh` reports, with what it checks and, for the rules of `mesh validate`, a change to the',
    'example mesh (`packages/spec/test/fixtures/base`, which passes every rule) that fails the rule, and one it',
    'accepts: the examples the rule tests run (`packages/spec/src/rules/examples.ts`).',
    '`mesh explain MESHxxx` prints the same. Every finding links its section here (`docsUrl` in JSON,',
    '`helpUri` in SARIF). This page is generated: `node packages/cli/bin/mesh.js explain --format markdown > docs/codes.md`.',
    '',
    '| code | name | severity | checks |',
    '| --- | --- | --- | --- |',
    ...index,
    '',
    ...CODE_CATALOG.map(explainMarkdown),
  ].join('\n');
}

/** Edit distance with transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The codes (or rule names) closest to what was asked for, best first. */
export function closeCodes(asked: string, limit = 3): string[] {
  const wanted = asked.toUpperCase();
  const byCode = CODE_CATALOG.map((c) => ({ code: c.code, d: Math.min(distance(wanted, c.code), distance(asked.toLowerCase(), c.name)) }));
  return byCode
    .filter((c) => c.d <= 2)
    .sort((a, b) => a.d - b.d || (a.code < b.code ? -1 : 1))
    .slice(0, limit)
    .map((c) => c.code);
}

/** A code as asked for: `MESH103`, `mesh103`, `103`, or the rule's name `ownership`. */
export function findCode(asked: string): CodeInfo | undefined {
  const normalized = /^\d{3}$/.test(asked) ? `MESH${asked}` : asked;
  return codeInfo(normalized) ?? CODE_CATALOG.find((c) => c.name === asked.toLowerCase());
}

export function registerExplain(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description('what a finding code checks, with a failing and a passing example and its documentation link; without a code, every code')
    .argument('[code]', 'a code (MESH103, or 103) or a rule name (ownership)')
    .addOption(new Option('--format <format>', 'output format (markdown: the section of docs/codes.md; without a code, the whole page)').choices(['text', 'json', 'markdown']).default('text'))
    .action((asked: string | undefined, options: { format: 'text' | 'json' | 'markdown' }) => {
      const env = io.env ?? {};
      if (asked === undefined) {
        if (options.format === 'markdown') io.stdout(`${codesPage()}`);
        else if (options.format === 'json') io.stdout(`${JSON.stringify({ codes: CODE_CATALOG.map((c) => ({ ...c, docsUrl: docsUrl(c.code, env) })) })}\n`);
        else io.stdout(`${CODE_CATALOG.map((c) => `${c.code}  ${c.name.padEnd(28)} ${c.title}`).join('\n')}\n\nmesh explain CODE for one; all of them: ${CODES_PAGE}\n`);
        return setExit(EXIT_CLEAN);
      }
      const info = findCode(asked);
      if (!info) {
        const close = closeCodes(asked);
        throw new UsageError(`unknown code "${asked}"`, close.length > 0 ? `did you mean ${close.join(', ')}? (mesh explain lists every code)` : 'mesh explain lists every code');
      }
      if (options.format === 'markdown') io.stdout(`${explainMarkdown(info)}\n`);
      else if (options.format === 'json') {
        const { failing, passing } = examplesOf(info.code);
        io.stdout(`${JSON.stringify({ ...info, docsUrl: docsUrl(info.code, env), failing: failing ? { ...failing, message: failing.message?.source ?? null } : null, passing: passing ?? null })}\n`);
      } else io.stdout(explainText(info, env));
      setExit(EXIT_CLEAN);
    });
}
