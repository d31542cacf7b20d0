"""The quality-rule language of ``qualityChecks[].rule``, evaluated on one record.

A port of ``packages/spec/src/quality/rule-language.ts`` (the parser: same tokens, same
grammar, same rejections) with the row semantics of ``packages/spec/src/quality/compile/sql.ts``
(a SQL CHECK constraint's): a row fails when the rule is FALSE for it; an unknown (NULL) result
does not fail. ``tests/test_rules_shared.py`` runs generated rules and records through both and
requires the same verdicts.

Values a rule sees: ``None`` is NULL; numbers are ``int``/``float``/``Decimal``; timestamps are
epoch milliseconds (``Timestamp``); intervals are milliseconds (``Interval``).
"""

from __future__ import annotations

import math
import operator
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Optional, Union

AGGREGATES = ("completeness", "uniqueness", "count", "min", "max", "avg", "sum")
KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN", "MATCHES", "REFERENCES", "NOW", "INTERVAL", "TRUE", "FALSE"}
_PRODUCT_COLUMN = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$")
INTERVAL_UNITS = {
    "SECOND": "SECOND", "SECONDS": "SECOND", "MINUTE": "MINUTE", "MINUTES": "MINUTE",
    "HOUR": "HOUR", "HOURS": "HOUR", "DAY": "DAY", "DAYS": "DAY",
}
UNIT_MS = {"SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": 86_400_000}
MAX_DEPTH = 64
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class RuleSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# --- AST (the same node kinds as the TypeScript RuleExpression) -------------------------------


@dataclass(frozen=True)
class Node:
    kind: str
    op: Optional[str] = None
    left: Optional["Node"] = None
    right: Optional["Node"] = None
    operand: Optional["Node"] = None
    values: tuple = ()
    low: Optional["Node"] = None
    high: Optional["Node"] = None
    negated: bool = False
    name: Optional[str] = None
    offset: int = 0
    value: Any = None
    unit: Optional[str] = None
    fn: Optional[str] = None
    column: Optional[str] = None


@dataclass(frozen=True)
class Token:
    kind: str  # identifier | number | string | operator | punct | end
    text: str
    upper: str
    offset: int


def _is_letter(c: str) -> bool:
    return ("A" <= c <= "Z") or ("a" <= c <= "z") or c == "_"


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in " \t\n\r":
            i += 1
            continue
        start = i
        if _is_letter(c):
            while i < n and (_is_letter(text[i]) or _is_digit(text[i]) or text[i] == "."):
                i += 1
            word = text[start:i]
            tokens.append(Token("identifier", word, word.upper(), start))
            if word.upper() == "REFERENCES":
                # the product id holds "/" and "-", which no other token has: read the reference whole
                while i < n and text[i].isspace():
                    i += 1
                begin = i
                while i < n and not (text[i].isspace() or text[i] in "()"):
                    i += 1
                tokens.append(Token("reference", text[begin:i], text[begin:i], begin))
        elif _is_digit(c):
            while i < n and (_is_digit(text[i]) or text[i] == "."):
                i += 1
            literal = text[start:i]
            if not _NUMBER.match(literal):
                raise RuleSyntaxError(f'"{literal}" is not a number', start)
            tokens.append(Token("number", literal, literal, start))
        elif c == "'":
            i += 1
            value = []
            while True:
                if i >= n:
                    raise RuleSyntaxError("a string is not closed: add the missing quote (')", start)
                if text[i] == "'":
                    if i + 1 < n and text[i + 1] == "'":
                        value.append("'")
                        i += 2
                        continue
                    i += 1
                    break
                value.append(text[i])
                i += 1
            s = "".join(value)
            tokens.append(Token("string", s, s.upper(), start))
        elif c in "<>!=":
            two = text[i:i + 2]
            op = two if two in ("<=", ">=", "!=", "<>", "==") else c
            if op == "!":
                raise RuleSyntaxError('"!" alone is not an operator; use != or NOT', start)
            i += len(op)
            tokens.append(Token("operator", op, op, start))
        elif c in "(),+-*":
            i += 1
            tokens.append(Token("punct", c, c, start))
        else:
            raise RuleSyntaxError(f'unexpected character "{c}"', start)
    tokens.append(Token("end", "", "", n))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.columns: list[tuple[str, int]] = []

    def parse_rule(self) -> Node:
        expression = self.or_expression()
        rest = self.peek()
        if rest.kind != "end":
            raise RuleSyntaxError(f'unexpected "{rest.text}" after a complete rule', rest.offset)
        if expression.kind not in ("logical", "not", "compare", "isNull", "in", "between", "matches", "references", "boolean"):
            raise RuleSyntaxError(
                "a rule must be a condition (a comparison, IS NULL, IN, BETWEEN, MATCHES, REFERENCES or a combination with AND/OR/NOT)", 0)
        return expression

    def peek(self) -> Token:
        return self.tokens[self.index]

    def next(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "identifier" and token.upper == word:
            self.index += 1
            return True
        return False

    def expect(self, text: str, what: str) -> Token:
        token = self.next()
        if token.upper != text:
            found = "the end of the rule" if token.kind == "end" else f'"{token.text}"'
            raise RuleSyntaxError(f"expected {what} but found {found}", token.offset)
        return token

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise RuleSyntaxError(f"the rule nests deeper than {MAX_DEPTH} levels", self.peek().offset)
            return parse()
        finally:
            self.depth -= 1

    def or_expression(self) -> Node:
        left = self.and_expression()
        while self.keyword("OR"):
            left = Node("logical", op="OR", left=left, right=self.and_expression())
        return left

    def and_expression(self) -> Node:
        left = self.not_expression()
        while self.keyword("AND"):
            left = Node("logical", op="AND", left=left, right=self.not_expression())
        return left

    def not_expression(self) -> Node:
        if self.keyword("NOT"):
            return self.nested(lambda: Node("not", operand=self.not_expression()))
        return self.predicate()

    def predicate(self) -> Node:
        left = self.additive()
        token = self.peek()
        if token.kind == "operator":
            self.index += 1
            op = {"==": "=", "<>": "!="}.get(token.text, token.text)
            return Node("compare", op=op, left=left, right=self.additive())
        if self.keyword("IS"):
            negated = self.keyword("NOT")
            self.expect("NULL", "NULL after IS")
            return Node("isNull", operand=left, negated=negated)
        save = self.index
        negated = self.keyword("NOT")
        if self.keyword("IN"):
            self.expect("(", '"(" after IN')
            values = [self.additive()]
            while self.peek().text == ",":
                self.index += 1
                values.append(self.additive())
            self.expect(")", '")" to close the IN list')
            return Node("in", operand=left, values=tuple(values), negated=negated)
        if self.keyword("BETWEEN"):
            low = self.additive()
            self.expect("AND", "AND in BETWEEN ... AND ...")
            high_token = self.peek()
            high = self.additive()
            if low.kind == "number" and high.kind == "number" and low.value > high.value:
                raise RuleSyntaxError(
                    f"BETWEEN {_js(low.value)} AND {_js(high.value)} holds no value (the low bound comes first): write BETWEEN {_js(high.value)} AND {_js(low.value)}",
                    high_token.offset)
            return Node("between", operand=left, low=low, high=high, negated=negated)
        if not negated and self.keyword("REFERENCES"):
            token = self.next()
            match = _PRODUCT_COLUMN.match(token.text)
            if not match:
                raise RuleSyntaxError("REFERENCES takes <domain>/<product>.<port>.<column>, e.g. customer_id REFERENCES customer/customer-360.customer_snapshot_daily.customer_id", token.offset)
            if left.kind != "column":
                raise RuleSyntaxError("REFERENCES applies to a column of this product", token.offset)
            return Node("references", operand=left, value=(f"{match.group(1)}/{match.group(2)}", match.group(3), match.group(4)), offset=token.offset)
        if self.keyword("MATCHES"):
            pattern = self.next()
            if pattern.kind != "string":
                raise RuleSyntaxError("MATCHES takes a pattern in quotes, e.g. currency MATCHES '^[A-Z]{3}$'", pattern.offset)
            problem = portable_pattern_problem(pattern.text)
            if problem:
                raise RuleSyntaxError(f"the pattern of MATCHES: {problem[0]}", pattern.offset + 1 + problem[1])
            return Node("matches", operand=left, value=pattern.text, negated=negated)
        self.index = save
        return left

    def additive(self) -> Node:
        left = self.primary()
        while self.peek().text in ("+", "-"):
            op = self.next().text
            left = Node("arithmetic", op=op, left=left, right=self.primary())
        return left

    def primary(self) -> Node:
        token = self.next()
        if token.kind == "number":
            return Node("number", value=_number(token.text))
        if token.kind == "string":
            return Node("string", value=token.text)
        if token.kind == "punct":
            if token.text == "(":
                inner = self.nested(self.or_expression)
                self.expect(")", '")"')
                return inner
            if token.text == "-" and self.peek().kind == "number":
                return Node("number", value=-_number(self.next().text))
        elif token.kind == "identifier":
            return self.identifier(token)
        if token.kind == "end":
            raise RuleSyntaxError("the rule ends where a value was expected", token.offset)
        raise RuleSyntaxError(f'expected a column, a number or a string but found "{token.text}"', token.offset)

    def identifier(self, token: Token) -> Node:
        upper = token.upper
        if upper in ("TRUE", "FALSE"):
            return Node("boolean", value=upper == "TRUE")
        if upper == "NOW":
            self.expect("(", '"(" after NOW')
            self.expect(")", '")" after NOW(')
            return Node("now")
        if upper == "INTERVAL":
            amount = self.next()
            if amount.kind != "number":
                raise RuleSyntaxError("INTERVAL needs a number, e.g. INTERVAL 30 DAY", amount.offset)
            unit_token = self.next()
            unit = INTERVAL_UNITS.get(unit_token.upper)
            if unit is None:
                raise RuleSyntaxError(
                    f'INTERVAL needs a unit (SECOND, MINUTE, HOUR or DAY) but found "{unit_token.text}"', unit_token.offset)
            return Node("interval", value=_number(amount.text), unit=unit)
        if self.peek().text == "(":
            fn = token.text.lower()
            if fn not in AGGREGATES:
                raise RuleSyntaxError(f'unknown function "{token.text}"; expected one of: {", ".join(AGGREGATES)}', token.offset)
            self.index += 1
            argument = self.next()
            column = None
            if argument.kind == "identifier" and argument.upper not in KEYWORDS:
                column = argument.text
                self.columns.append((argument.text, argument.offset))
            elif not (fn == "count" and argument.text == "*"):
                raise RuleSyntaxError(f"{fn}() takes one column name", argument.offset)
            self.expect(")", f'")" to close {fn}(')
            return Node("aggregate", fn=fn, column=column, offset=token.offset)
        if upper in KEYWORDS:
            raise RuleSyntaxError(f'"{token.text}" is a keyword and cannot stand here', token.offset)
        if token.text.endswith(".") or ".." in token.text:
            raise RuleSyntaxError(f'"{token.text}" is not a column name', token.offset)
        self.columns.append((token.text, token.offset))
        return Node("column", name=token.text, offset=token.offset)


def _js(value: Union[int, float]) -> str:
    """A number as JavaScript prints it (2.0 -> 2), for messages that match the TypeScript parser's."""
    return str(int(value)) if float(value).is_integer() else repr(value)


MAX_PATTERN_LENGTH = 1000
_SHORTHANDS = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]", "s": "[ \\t\\n\\r\\f]", "S": "[^ \\t\\n\\r\\f]"}
_PORTABLE_ESCAPES = set("\\.^$|?*+()[]{}-/") | {"t", "n", "r", "f"}


def portable_pattern_problem(pattern: str) -> Optional[tuple[str, int]]:
    """(message, offset in the pattern) when engines would read the pattern differently:
    packages/spec/src/quality/portable-regex.ts, check for check."""
    if not pattern:
        return ("an empty pattern matches every value: say what a value must contain", 0)
    if len(pattern) > MAX_PATTERN_LENGTH:
        return (f"the pattern is longer than {MAX_PATTERN_LENGTH} characters", MAX_PATTERN_LENGTH)
    i = 0
    while i < len(pattern):
        c = pattern[i]
        nxt = pattern[i + 1] if i + 1 < len(pattern) else None
        if c == "\\":
            if nxt is None:
                return ("the pattern ends in a lone backslash", i)
            if nxt in _SHORTHANDS:
                return (f"\\{nxt} means different characters in DuckDB (ASCII) and in Python, Java and Spark (Unicode): write {_SHORTHANDS[nxt]}", i)
            if nxt in "bB":
                return (f"\\{nxt} (a word boundary) differs between the engines: match the characters around the word instead", i)
            if nxt in "123456789k":
                return ("backreferences do not exist in DuckDB (RE2)", i)
            if nxt not in _PORTABLE_ESCAPES:
                return (f"\\{nxt} is not read alike by DuckDB, Athena, Spark and Python: escape only punctuation (\\. \\( \\[ ...) or use \\t \\n \\r \\f", i)
            i += 2
            continue
        if c == "(" and nxt == "?" and pattern[i + 2:i + 3] != ":":
            return ("lookarounds, named groups and inline flags are not read alike by the engines: only (...) and (?:...) groups are portable", i)
        if c == "[" and nxt == ":":
            return ("POSIX classes ([:alpha:]) do not exist in Python: write the range, e.g. [A-Za-z]", i)
        if c in "+*?}" and nxt == "+":
            return ("possessive quantifiers (x*+) do not exist in DuckDB (RE2)", i + 1)
        i += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": Python's note on [[, not an error
            re.compile(pattern)  # the TypeScript side asks JavaScript's RegExp; both refuse the same broken syntax in practice
    except re.error as error:
        return (f"not a regular expression: {error}", 0)
    return None


def _number(text: str) -> Union[int, float]:
    return float(text) if "." in text else int(text)


@dataclass(frozen=True)
class ParsedRule:
    expression: Node
    columns: tuple[tuple[str, int], ...]


def parse_rule(text: str) -> ParsedRule:
    """Parses a rule; raises RuleSyntaxError with the offset, as the TypeScript parser reports it."""
    parser = _Parser(tokenize(text))
    expression = parser.parse_rule()
    return ParsedRule(expression, tuple(parser.columns))


def contains_aggregate(e: Optional[Node]) -> bool:
    if e is None:
        return False
    if e.kind == "aggregate":
        return True
    return any(contains_aggregate(x) for x in (e.left, e.right, e.operand, e.low, e.high, *e.values))


# --- evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timestamp:
    """An instant in epoch milliseconds (a timestamp column, NOW(), or their arithmetic)."""
    ms: float


@dataclass(frozen=True)
class Interval:
    ms: float


class RuleValueError(Exception):
    """A value the rule cannot judge (NaN, a string that is not an instant, mixed types)."""


_COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_PLAIN_NUMBERS = (int, float)

Getter = Callable[[dict], Any]
Evaluator = Callable[[dict], Optional[Any]]


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    """The two sides of a comparison in one domain, or RuleValueError (what SQL would refuse)."""
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        raise RuleValueError("NaN cannot be compared (DuckDB orders it above every number, Athena below none)")
    ta, tb = isinstance(a, Timestamp), isinstance(b, Timestamp)
    if ta or tb:
        if ta and tb:
            return a.ms, b.ms
        other = b if ta else a
        if isinstance(other, str):
            return (a.ms, _instant_ms(b)) if ta else (_instant_ms(a), b.ms)
        raise RuleValueError(f"a timestamp is compared with {_describe(other)}")
    na, nb = _is_number(a), _is_number(b)
    if na and nb:
        if isinstance(a, Decimal) != isinstance(b, Decimal):
            return float(a), float(b)
        return a, b
    if type(a) is type(b) and isinstance(a, (str, bool)):
        return a, b
    raise RuleValueError(f"{_describe(a)} is compared with {_describe(b)}")


def _instant_ms(text: str) -> float:
    """A string compared with a timestamp is read as an ISO-8601 instant (the envelopes carry them as text)."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise RuleValueError(f'"{text[:40]}" is compared with a timestamp but is not an ISO-8601 instant') from None
    if instant.tzinfo is None:
        raise RuleValueError(f'"{text[:40]}" is compared with a timestamp but has no UTC offset')
    return instant.timestamp() * 1000


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _describe(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if _is_number(v):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, Interval):
        return "an interval"
    return type(v).__name__


def compile_row_rule(expression: Node, column: Callable[[str], Getter], now: Callable[[], float]) -> Evaluator:
    """A function record -> True / False / None (unknown) for a row-level rule.

    ``column(name)`` gives the getter of a column's value (already in the rule's value domain),
    ``now()`` the instant NOW() stands for, in epoch milliseconds.
    """
    def build(e: Node) -> Evaluator:
        if e.kind not in ("number", "string", "boolean") and not _has_column(e):
            # No column: one value for the whole batch (NOW() is the batch's instant, as
            # CURRENT_TIMESTAMP is the statement's in SQL).
            try:
                value = _build(e)({})
            except RuleValueError as error:
                failure = error

                def fails(r):
                    raise failure
                return fails
            return lambda r: value
        return _build(e)

    def _build(e: Node) -> Evaluator:
        k = e.kind
        if k == "logical":
            left, right = build(e.left), build(e.right)
            if e.op == "AND":
                def and_(r):
                    a = left(r)
                    if a is False:
                        return False
                    b = right(r)
                    if b is False:
                        return False
                    return None if a is None or b is None else True
                return and_

            def or_(r):
                a = left(r)
                if a is True:
                    return True
                b = right(r)
                if b is True:
                    return True
                return None if a is None or b is None else False
            return or_
        if k == "not":
            inner = build(e.operand)
            return lambda r: None if (v := inner(r)) is None else not v
        if k == "compare":
            left, right, op = build(e.left), build(e.right), _COMPARE[e.op]

            def compare(r):
                a = left(r)
                if a is None:
                    return None
                b = right(r)
                if b is None:
                    return None
                if type(a) in _PLAIN_NUMBERS and type(b) in _PLAIN_NUMBERS and a == a and b == b:  # not NaN
                    return op(a, b)
                return op(*_comparable(a, b))
            return compare
        if k == "isNull":
            inner = build(e.operand)
            if e.negated:
                return lambda r: inner(r) is not None
            return lambda r: inner(r) is None
        if k == "in" and all(v.kind == "string" for v in e.values):
            operand, symbols, negated = build(e.operand), frozenset(v.value for v in e.values), e.negated
            slow = in_general(e)

            def in_strings(r):
                a = operand(r)
                if type(a) is str:
                    return (a in symbols) is not negated
                return slow(r)
            return in_strings
        if k == "in":
            return in_general(e)
        return _others(e)

    def in_general(e: Node) -> Evaluator:
        operand, values, negated = build(e.operand), [build(v) for v in e.values], e.negated

        def in_(r):
            a = operand(r)
            if a is None:
                return None
            unknown = False
            for value in values:
                b = value(r)
                if b is None:
                    unknown = True
                    continue
                x, y = _comparable(a, b)
                if x == y:
                    return not negated
            return None if unknown else negated
        return in_

    def _others(e: Node) -> Evaluator:
        k = e.kind
        if k == "matches":
            operand, search, negated = build(e.operand), re.compile(e.value).search, e.negated

            def matches(r):
                a = operand(r)
                if a is None:
                    return None
                if type(a) is not str:
                    raise RuleValueError(f"MATCHES needs a string, not {_describe(a)}")
                return (search(a) is not None) is not negated
            return matches
        if k == "between":
            operand, low, high, negated = build(e.operand), build(e.low), build(e.high), e.negated

            def between(r):
                a = operand(r)
                if a is None:
                    return None
                lo, hi = low(r), high(r)
                ge = None if lo is None else (lambda x, y: x >= y)(*_comparable(a, lo))
                le = None if hi is None else (lambda x, y: x <= y)(*_comparable(a, hi))
                if ge is False or le is False:
                    result = False
                elif ge is None or le is None:
                    result = None
                else:
                    result = True
                return None if result is None else (not result if negated else result)
            return between
        if k == "arithmetic":
            left, right, sign = build(e.left), build(e.right), 1 if e.op == "+" else -1

            def arithmetic(r):
                a = left(r)
                if a is None:
                    return None
                b = right(r)
                if b is None:
                    return None
                return _add(a, b, sign)
            return arithmetic
        if k == "column":
            return column(e.name)
        if k in ("number", "string", "boolean"):
            value = e.value
            return lambda r: value
        if k == "now":
            return lambda r: Timestamp(now())
        if k == "interval":
            interval = Interval(e.value * UNIT_MS[e.unit])
            return lambda r: interval
        raise ValueError(f"an aggregate ({e.fn}) in a row-level rule")

    return build(expression)


def _has_column(e: Optional[Node]) -> bool:
    if e is None:
        return False
    if e.kind in ("column", "aggregate"):
        return True
    return any(_has_column(x) for x in (e.left, e.right, e.operand, e.low, e.high, *e.values))


def _add(a: Any, b: Any, sign: int) -> Any:
    if isinstance(a, Timestamp) and isinstance(b, Interval):
        return Timestamp(a.ms + sign * b.ms)
    if isinstance(a, Interval) and isinstance(b, Timestamp) and sign == 1:
        return Timestamp(a.ms + b.ms)
    if isinstance(a, Interval) and isinstance(b, Interval):
        return Interval(a.ms + sign * b.ms)
    if _is_number(a) and _is_number(b):
        if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
            raise RuleValueError("NaN in arithmetic")
        if isinstance(a, Decimal) != isinstance(b, Decimal):
            a, b = float(a), float(b)
        return a + sign * b
    raise RuleValueError(f"{_describe(a)} {'+' if sign == 1 else '-'} {_describe(b)}")


def contains_references(e: Optional[Node]) -> bool:
    """Whether a rule reads another product's port (REFERENCES): no record alone can be judged by it."""
    if e is None:
        return False
    if e.kind == "references":
        return True
    return any(contains_references(x) for x in (e.left, e.right, e.operand))
