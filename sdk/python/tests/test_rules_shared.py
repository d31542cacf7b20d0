"""One definition of the rule language, two implementations: generated rules and records go
through the TypeScript parser and SQL compiler (run in DuckDB by rule_oracle.js) and through the
SDK's rules.py; every parse verdict (with its offset) and every row's TRUE/FALSE/NULL must agree."""

import json
import os
import random
import shutil
import subprocess

import pytest

from data_mesh_sdk.rules import RuleSyntaxError, Timestamp, compile_row_rule, parse_rule
from kafka_broker import REPO

NOW = "2026-12-06T12:00:00Z"
NOW_MS = 1796558400000
DAY = 86_400_000
COLUMNS = [("i", "int"), ("l", "long"), ("d", "double"), ("s", "string"), ("b", "boolean"), ("t", "timestamp")]
STRINGS = ["", "a", "b", "gold", "it's", "Zürich", "A"]


class Generator:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def number(self, depth: int) -> str:
        r = self.r
        choice = r.randrange(5 if depth < 2 else 3)
        if choice == 0:
            return r.choice(["i", "l", "d"])
        if choice == 1:
            return str(r.randint(-5, 5))
        if choice == 2:
            return r.choice(["0.5", "1.25", "2", "10", "0"])
        return f"({self.number(depth + 1)} {r.choice('+-')} {r.randint(0, 5)})"

    def string(self) -> str:
        if self.r.random() < 0.5:
            return "s"
        return "'" + self.r.choice(STRINGS).replace("'", "''") + "'"

    def instant(self, depth: int) -> str:
        r = self.r
        choice = r.randrange(4 if depth < 2 else 2)
        if choice == 0:
            return "t"
        if choice == 1:
            return f"(NOW() - INTERVAL {r.randint(0, 40)} {r.choice(['DAY', 'HOUR', 'MINUTES', 'SECOND'])})"
        if choice == 2:
            return "NOW()"
        return f"(t + INTERVAL {r.randint(1, 3)} DAY)"

    def condition(self, depth: int = 0) -> str:
        r = self.r
        kinds = ["num", "str", "ts", "bool", "null", "in", "between", "matches"] + (["not", "and", "or"] * 2 if depth < 3 else [])
        kind = r.choice(kinds)
        op = r.choice(["=", "!=", "<>", "<", "<=", ">", ">=", "=="])
        if kind == "num":
            return f"{self.number(depth)} {op} {self.number(depth)}"
        if kind == "str":
            return f"{self.string()} {op} {self.string()}"
        if kind == "ts":
            return f"{self.instant(depth)} {op} {self.instant(depth)}"
        if kind == "bool":
            return r.choice(["b = TRUE", "b != FALSE", "NOT b", "b = b", "TRUE", "FALSE", "b <> TRUE"])
        if kind == "null":
            return f"{r.choice([c for c, _ in COLUMNS])} IS {r.choice(['', 'NOT '])}NULL"
        if kind == "in":
            negate = r.choice(["", "NOT "])
            if r.random() < 0.5:
                return f"s {negate}IN ({', '.join(self.string() for _ in range(r.randint(1, 3)))})"
            return f"{self.number(depth)} {negate}IN ({', '.join(self.number(2) for _ in range(r.randint(1, 3)))})"
        if kind == "between":
            return f"{self.number(depth)} {r.choice(['', 'NOT '])}BETWEEN {self.number(2)} AND {self.number(2)}"
        if kind == "matches":
            pattern = r.choice(["^a", "b$", "[A-Z]", "o.d", "i(t|s)", "^$|^Z", "r", "[^a-z]", "l{2}", "^(?:go|it)"])
            return f"s {r.choice(['', 'NOT '])}MATCHES '{pattern}'"
        if kind == "not":
            return f"NOT ({self.condition(depth + 1)})"
        joiner = " AND " if kind == "and" else r.choice([" OR ", " or "])
        return f"({self.condition(depth + 1)}){joiner}{self.condition(depth + 1)}"

    def row(self) -> dict:
        r = self.r
        maybe = lambda v: None if r.random() < 0.15 else v  # noqa: E731
        return {
            "i": maybe(r.randint(-6, 6)), "l": maybe(r.randint(-6, 6)), "d": maybe(r.choice([-2.5, 0.0, 0.5, 1.0, 1.25, 3.75, 2.0])),
            "s": maybe(r.choice(STRINGS)), "b": maybe(r.random() < 0.5),
            "t": maybe(NOW_MS + r.randint(-45, 5) * DAY + r.randint(-3_600_000, 3_600_000)),
        }

    def mutate(self, rule: str) -> str:
        """A rule with one character dropped, doubled or replaced: some still parse, most do not."""
        r = self.r
        k = r.randrange(len(rule))
        return r.choice([rule[:k] + rule[k + 1:], rule[:k] + rule[k] + rule[k:], rule[:k] + r.choice("()',!=<x9.") + rule[k + 1:]])


def oracle(tmp_path, rows: list, rules: list) -> list:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the shared-semantics test needs it (and npm run build for packages/spec)")
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"now": NOW, "columns": [{"name": n, "type": t} for n, t in COLUMNS], "rows": rows, "rules": rules}))
    done = subprocess.run([node, os.path.join(os.path.dirname(__file__), "rule_oracle.js"), str(cases)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, f"rule_oracle.js failed (is packages/spec built? npm run build):\n{done.stderr}"
    return json.loads(done.stdout)


def same_parse(got: dict, want: dict) -> bool:
    """The same verdict, and for a rejection the same offset (the messages are each side's prose)."""
    return got["ok"] == want["ok"] and (got["ok"] or got["offset"] == want["offset"])


def python_parse(rule: str) -> dict:
    try:
        parse_rule(rule)
    except RuleSyntaxError as error:
        return {"ok": False, "message": error.message, "offset": error.offset}
    return {"ok": True}


def python_verdicts(rule: str, rows: list):
    try:
        parsed = parse_rule(rule)
    except RuleSyntaxError as error:
        return {"ok": False, "message": error.message, "offset": error.offset}

    def column(name):
        if name == "t":
            return lambda r: None if r["t"] is None else Timestamp(r["t"])
        return lambda r: r[name]
    evaluate = compile_row_rule(parsed.expression, column, lambda: NOW_MS)
    values = [evaluate(row) for row in rows]
    return {"ok": True, "values": values, "failing": [i for i, v in enumerate(values) if v is False]}


def test_generated_rules_have_the_same_verdicts_in_typescript_sql_and_python(tmp_path):
    gen = Generator(20261206)
    rows = [gen.row() for _ in range(60)]
    rules = [gen.condition() for _ in range(480)]
    generated = len(rules)
    rules += [gen.mutate(rule) for rule in rules[:300]]
    rules += ["a >=", "x IN ()", "NOW( > 1", "'open", "a ! b", "count(*) > 1 AND", "1 + 2", "i = 1 AND", "INTERVAL 3 WEEK > t", "i..j = 1", "unknown(i) > 1",
              "s MATCHES '\\d+'", "s MATCHES '(?=a)'", "s MATCHES ''", "s MATCHES 'a\\'", "s MATCHES 1", "i BETWEEN 5 AND 1", "matches = 1"]
    expected = oracle(tmp_path, rows, rules)
    compared = parsed = 0
    for n, (rule, want) in enumerate(zip(rules, expected)):
        if n >= generated:  # a mutation: the parsers must agree; what it means is not generated to be well-typed
            got = python_parse(rule)
            assert same_parse(got, want), f"parse verdicts differ for {rule!r}: ts {want}, py {got}"
            continue
        got = python_verdicts(rule, rows)
        if not want["ok"]:  # a generated rule TypeScript refuses (e.g. an empty BETWEEN 3 AND 1)
            assert same_parse(got, want), f"parse verdicts differ for {rule!r}: ts {want}, py {got}"
            continue
        assert got["ok"], f"{rule!r} parses in TypeScript but not in Python: {got}"
        assert "error" not in want, f"DuckDB could not run the generated rule {rule!r}: {want['error']} (a generator bug)"
        parsed += 1
        assert got["values"] == want["values"], f"row verdicts differ for {rule!r}:\n  ts: {want['values']}\n  py: {got['values']}"
        assert got["failing"] == want["failing"], f"failing rows differ for {rule!r}"
        compared += len(rows)
    # The cases must exercise every outcome, or the test proves little.
    assert parsed >= 400 and compared >= 24_000
    outcomes = {v for want in expected if want["ok"] and "values" in want for v in want["values"]}
    assert outcomes == {True, False, None}
    assert sum(1 for want in expected[generated:] if not want["ok"]) >= 100


def test_the_example_contracts_rules_parse_alike(tmp_path):
    import glob

    import yaml
    rules = []
    for file in sorted(glob.glob(os.path.join(REPO, "domains", "*", "*", "data-product.yaml"))):
        with open(file, encoding="utf-8") as f:
            rules += [c["rule"] for c in (yaml.safe_load(f)["spec"].get("qualityChecks") or [])]
    assert len(rules) >= 40
    expected = oracle(tmp_path, [], rules)
    for rule, want in zip(rules, expected):
        assert want["ok"] and python_parse(rule)["ok"], rule
