/**
 * The regular expressions a `MATCHES` rule may use: the subset that DuckDB (RE2), Athena/Trino,
 * Spark (Glue Data Quality, Java) and Python (Great Expectations) read alike. Outside it the
 * engines disagree in silence: `\d` and `\w` take Unicode digits and letters in Python and Java
 * but ASCII in RE2, lookarounds and backreferences do not exist in RE2, POSIX classes only in RE2
 * and Java, inline flags differ in where they may stand. Such a pattern is refused with the
 * portable spelling instead.
 */
export const MAX_PATTERN_LENGTH = 1000;

const SHORTHANDS: Record<string, string> = {
  d: '[0-9]', D: '[^0-9]', w: '[A-Za-z0-9_]', W: '[^A-Za-z0-9_]', s: '[ \\t\\n\\r\\f]', S: '[^ \\t\\n\\r\\f]',
};
/** Escapes every engine reads as the same single character. */
const PORTABLE_ESCAPES = new Set([...'\\.^$|?*+()[]{}-/', 't', 'n', 'r', 'f']);

export interface PatternProblem {
  readonly message: string;
  /** Offset in the pattern. */
  readonly offset: number;
}

/** Why a pattern is not portable, or undefined when every engine reads it alike. */
export function portablePatternProblem(pattern: string): PatternProblem | undefined {
  if (pattern.length === 0) return { message: 'an empty pattern matches every value: say what a value must contain', offset: 0 };
  if (pattern.length > MAX_PATTERN_LENGTH) return { message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`, offset: MAX_PATTERN_LENGTH };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { message: 'the pattern ends in a lone backslash', offset: i };
      if (next in SHORTHANDS) return { message: `\\${next} means different characters in DuckDB (ASCII) and in Python, Java and Spark (Unicode): write ${SHORTHANDS[next]}`, offset: i };
      if (next === 'b' || next === 'B') return { message: `\\${next} (a word boundary) differs between the engines: match the characters around the word instead`, offset: i };
      if (/[1-9k]/.test(next)) return { message: 'backreferences do not exist in DuckDB (RE2)', offset: i };
      if (!PORTABLE_ESCAPES.has(next)) return { message: `\\${next} is not read alike by DuckDB, Athena, Spark and Python: escape only punctuation (\\. \\( \\[ ...) or use \\t \\n \\r \\f`, offset: i };
      i++;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] !== ':') {
      return { message: 'lookarounds, named groups and inline flags are not read alike by the engines: only (...) and (?:...) groups are portable', offset: i };
    }
    if (c === '[' && pattern[i + 1] === ':') return { message: 'POSIX classes ([:alpha:]) do not exist in Python: write the range, e.g. [A-Za-z]', offset: i };
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') return { message: 'possessive quantifiers (x*+) do not exist in DuckDB (RE2)', offset: i + 1 };
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    return { message: `not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`, offset: 0 };
  }
  return undefined;
}
