/**
 * Locates the first JSON syntax error in a text. Only called after JSON.parse has failed,
 * whose messages do not always carry a position. Iterative (an explicit stack), so deeply
 * nested input cannot overflow the call stack.
 */

export interface JsonSyntaxError {
  message: string;
  offset: number;
}

type Expectation = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const ARRAY = 0;
const OBJECT = 1;

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: number[] = [];
  const length = text.length;
  let expect: Expectation = 'value';
  let i = 0;
  const afterValue = (): Expectation => (stack.length === 0 ? 'end' : 'comma-or-close');

  for (;;) {
    while (i < length && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= length) {
      return expect === 'end' ? undefined : { message: 'unexpected end of JSON input', offset: length };
    }
    const c = text[i]!;
    switch (expect) {
      case 'value':
      case 'value-or-close': {
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '{') {
          stack.push(OBJECT);
          i++;
          expect = 'key-or-close';
        } else if (c === '[') {
          stack.push(ARRAY);
          i++;
          expect = 'value-or-close';
        } else {
          const scanned = scanScalar(text, i);
          if (typeof scanned !== 'number') return scanned;
          i = scanned;
          expect = afterValue();
        }
        break;
      }
      case 'key':
      case 'key-or-close': {
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '"') {
          const scanned = scanString(text, i);
          if (typeof scanned !== 'number') return scanned;
          i = scanned;
          expect = 'colon';
        } else {
          return { message: `expected a property name in double quotes, found '${c}'`, offset: i };
        }
        break;
      }
      case 'colon': {
        if (c !== ':') return { message: `expected ':' after the property name, found '${c}'`, offset: i };
        i++;
        expect = 'value';
        break;
      }
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          expect = top === ARRAY ? 'value' : 'key';
        } else if ((c === ']' && top === ARRAY) || (c === '}' && top === OBJECT)) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          const close = top === ARRAY ? ']' : '}';
          return { message: `expected ',' or '${close}', found '${c}'`, offset: i };
        }
        break;
      }
      case 'end':
        return { message: `unexpected '${c}' after the end of the JSON value`, offset: i };
    }
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function scanScalar(text: string, start: number): number | JsonSyntaxError {
  const c = text[start]!;
  if (c === '"') return scanString(text, start);
  if (c === '-' || (c >= '0' && c <= '9')) return scanNumber(text, start);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  return { message: `unexpected '${c}', expected a JSON value`, offset: start };
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { message: 'control character in a string', offset: i };
    if (code === 0x5c) {
      const escaped = text[i + 1];
      if (escaped === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { message: 'invalid \\u escape', offset: i };
        i += 6;
        continue;
      }
      if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) return { message: 'invalid escape in a string', offset: i };
      i += 2;
      continue;
    }
    i++;
  }
  return { message: 'unterminated string', offset: start };
}

function scanNumber(text: string, start: number): number | JsonSyntaxError {
  let i = start;
  if (text[i] === '-') i++;
  const digitsFrom = (from: number): number => {
    let j = from;
    while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
    return j;
  };
  if (text[i] === '0') {
    i++;
  } else {
    const end = digitsFrom(i);
    if (end === i) return { message: 'invalid number', offset: start };
    i = end;
  }
  if (text[i] === '.') {
    const end = digitsFrom(i + 1);
    if (end === i + 1) return { message: 'invalid number: digits expected after the decimal point', offset: start };
    i = end;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    const end = digitsFrom(j);
    if (end === j) return { message: 'invalid number: digits expected in the exponent', offset: start };
    i = end;
  }
  return i;
}
