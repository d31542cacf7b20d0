"""Validation of a batch of records for one port: the Avro schema (with the field path named),
the size the broker takes, and the product's row-level quality rules (``rules.py``)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

import fastavro

from .contract import Contract, OutputPort, QualityCheck, resolve_leaf
from .errors import RecordProblem
from .rules import RuleValueError, Timestamp, compile_row_rule, contains_references

AVRO = "avro schema"
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

Check = Callable[[Any], Optional[tuple]]  # value -> None, or (path suffix, message)


def _fail(path: str, message: str) -> tuple:
    return (path, message)


def compile_schema_check(schema: Any, named: Optional[dict] = None) -> Check:
    """A function value -> None when it conforms to the Avro schema, else (field path, message).
    Stricter than Avro's encoders where they would lose data silently: a record field the schema
    does not have, a naive datetime for a timestamp."""
    named = {} if named is None else named
    if isinstance(schema, str) and schema in named:
        return lambda v: named[schema](v)
    if isinstance(schema, list):
        branches = [compile_schema_check(b, named) for b in schema]
        names = [b if isinstance(b, str) else b.get("type") for b in schema]

        def union(v):
            for branch in branches:
                if branch(v) is None:
                    return None
            return _fail("", f"{_show(v)} matches none of {names}")
        return union
    t = schema.get("type") if isinstance(schema, dict) else schema
    logical = schema.get("logicalType") if isinstance(schema, dict) else None
    if isinstance(t, (dict, list)):
        return compile_schema_check(t, named)
    if logical in ("timestamp-millis", "timestamp-micros"):
        def timestamp(v):
            if isinstance(v, dt.datetime):
                return None if v.tzinfo is not None else _fail("", "a datetime without a timezone (give tzinfo=timezone.utc)")
            return _integer(v, INT64, t)
        return timestamp
    if logical == "date":
        return lambda v: None if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else _integer(v, INT32, "date (int days)")
    if logical == "decimal":
        precision, scale = schema.get("precision"), schema.get("scale", 0)

        def decimal(v):
            if not isinstance(v, Decimal) or not v.is_finite():
                return _fail("", f"{_show(v)} is not a finite Decimal (decimal({precision},{scale}))")
            exponent = v.as_tuple().exponent
            if -exponent > scale:
                return _fail("", f"{v} has more than {scale} decimal places")
            if len(v.quantize(Decimal(1).scaleb(-scale)).as_tuple().digits) > precision:
                return _fail("", f"{v} has more than {precision} digits")
            return None
        return decimal
    if t == "null":
        return lambda v: None if v is None else _fail("", f"{_show(v)} is not null")
    if t == "boolean":
        return lambda v: None if isinstance(v, bool) else _fail("", f"{_show(v)} is not a boolean")
    if t == "int":
        return lambda v: _integer(v, INT32, "int")
    if t == "long":
        return lambda v: _integer(v, INT64, "long")
    if t in ("float", "double"):
        return lambda v: None if isinstance(v, (int, float)) and not isinstance(v, bool) else _fail("", f"{_show(v)} is not a {t}")
    if t == "string":
        return lambda v: None if isinstance(v, str) else _fail("", f"{_show(v)} is not a string")
    if t == "bytes":
        return lambda v: None if isinstance(v, (bytes, bytearray)) else _fail("", f"{_show(v)} is not bytes")
    if t == "enum":
        symbols = set(schema["symbols"])
        check = lambda v: None if v in symbols else _fail("", f"{_show(v)} is not one of {sorted(symbols)}")  # noqa: E731
        _register(schema, named, check)
        return check
    if t == "fixed":
        size = schema["size"]
        check = lambda v: None if isinstance(v, (bytes, bytearray)) and len(v) == size else _fail("", f"{_show(v)} is not {size} bytes")  # noqa: E731
        _register(schema, named, check)
        return check
    if t == "array":
        items = compile_schema_check(schema["items"], named)

        def array(v):
            if not isinstance(v, (list, tuple)):
                return _fail("", f"{_show(v)} is not an array")
            for i, item in enumerate(v):
                problem = items(item)
                if problem:
                    return _fail(f"[{i}]{problem[0]}", problem[1])
            return None
        return array
    if t == "map":
        values = compile_schema_check(schema["values"], named)

        def map_(v):
            if not isinstance(v, dict):
                return _fail("", f"{_show(v)} is not a map")
            for k, item in v.items():
                if not isinstance(k, str):
                    return _fail("", f"the map key {_show(k)} is not a string")
                problem = values(item)
                if problem:
                    return _fail(f"[{k!r}]{problem[0]}", problem[1])
            return None
        return map_
    if t in ("record", "error"):
        slots: list = []
        checks: dict = {}

        def record(v):
            if not isinstance(v, dict):
                return _fail("", f"{_show(v)} is not a record")
            for name, has_default, check in slots:
                if name not in v:
                    if has_default:
                        continue
                    return _fail(f".{name}", "is missing (the schema gives it no default)")
                problem = check(v[name])
                if problem:
                    return _fail(f".{name}{problem[0]}", problem[1])
            if v.keys() - names:
                unknown = sorted(str(k) for k in v.keys() - names)
                if unknown:
                    return _fail(f".{unknown[0]}", f"is not in the schema (it has: {', '.join(checks)})")
            return None
        _register(schema, named, record)
        for f in schema["fields"]:
            check = compile_schema_check(f["type"], named)
            checks[f["name"]] = check
            slots.append((f["name"], "default" in f, check))
        names = checks.keys()
        return record
    raise ValueError(f"unsupported Avro type {t!r}")


_SIMPLE = {"string": "type({x}) is str", "boolean": "type({x}) is bool",
           "int": "type({x}) is int and -2147483648 <= {x} <= 2147483647",
           "long": "type({x}) is int and -9223372036854775808 <= {x} <= 9223372036854775807",
           "double": "(type({x}) is float or type({x}) is int)", "float": "(type({x}) is float or type({x}) is int)",
           "null": "{x} is None"}


def fast_schema_check(schema: dict) -> Callable[[Any], bool]:
    """A generated function record -> True when it surely conforms (plain dicts, str, int, float
    ...), else False: then compile_schema_check's checker gives the verdict and the message. It
    only speeds up the common case; it decides nothing alone."""
    lines = ["def conforms(v0):"]
    fallbacks: dict = {}
    counter = [0]

    def condition(t: Any, x: str) -> str:
        if isinstance(t, list):
            rest = [b for b in t if b != "null"]
            if len(rest) == 1 and len(t) == 2:
                return f"({x} is None or {condition(rest[0], x)})"
        elif isinstance(t, str) and t in _SIMPLE:
            return _SIMPLE[t].format(x=x)
        elif isinstance(t, dict) and "logicalType" not in t and isinstance(t.get("type"), str) and t["type"] in _SIMPLE:
            return _SIMPLE[t["type"]].format(x=x)
        name = f"slow{len(fallbacks)}"
        fallbacks[name] = compile_schema_check(t)
        return f"{name}({x}) is None"

    def record(t: dict, x: str, depth: int) -> None:
        pad = "    " * depth
        names = [f["name"] for f in t["fields"]]
        lines.append(f"{pad}if type({x}) is not dict or {x}.keys() - {set(names)!r}: return False")
        for f in t["fields"]:
            counter[0] += 1
            y = f"v{counter[0]}"
            lines.append(f"{pad}{y} = {x}.get({f['name']!r}, MISSING)")
            ft = f["type"]
            nested = ft if isinstance(ft, dict) and ft.get("type") == "record" else None
            if nested is not None and "default" not in f:
                record(nested, y, depth)
                continue
            allowed = f"{y} is MISSING or " if "default" in f else ""
            lines.append(f"{pad}if not ({allowed}{condition(ft, y)}): return False")
        return None

    record(schema, "v0", 1)
    lines.append("    return True")
    scope = {"MISSING": object(), **fallbacks}
    exec(compile("\n".join(lines), f"<fast check of {schema.get('name')}>", "exec"), scope)  # noqa: S102 - generated from the schema's field names (repr-quoted)
    return scope["conforms"]


def _register(schema: dict, named: dict, check: Check) -> None:
    name = schema.get("name")
    if name:
        named[name] = check
        if schema.get("namespace"):
            named[f"{schema['namespace']}.{name}"] = check


def _integer(v: Any, bounds: tuple, what: str) -> Optional[tuple]:
    if not isinstance(v, int) or isinstance(v, bool):
        return _fail("", f"{_show(v)} is not an {what}" if what[0] in "aeiou" else f"{_show(v)} is not a {what}")
    if not bounds[0] <= v <= bounds[1]:
        return _fail("", f"{v} is out of range for {what}")
    return None


def _show(v: Any) -> str:
    text = repr(v)
    return f"{text[:40]}... ({type(v).__name__})" if len(text) > 40 else f"{text} ({type(v).__name__})"


def _rule_value(leaf) -> Callable[[Any], Any]:
    """Converts a field's value to the rule language's domain (timestamps in epoch ms)."""
    logical = leaf.logical_type
    if logical in ("timestamp-millis", "local-timestamp-millis"):
        return lambda v: Timestamp(v.timestamp() * 1000) if isinstance(v, dt.datetime) else Timestamp(v)
    if logical in ("timestamp-micros", "local-timestamp-micros"):
        return lambda v: Timestamp(v.timestamp() * 1000) if isinstance(v, dt.datetime) else Timestamp(v / 1000)
    if logical == "date":
        epoch = dt.date(1970, 1, 1)
        return lambda v: Timestamp((v - epoch).days * 86_400_000) if isinstance(v, dt.date) else Timestamp(v * 86_400_000)
    return lambda v: v


def _getter(path: str, convert: Callable[[Any], Any]) -> Callable[[dict], Any]:
    parts = path.split(".")
    if len(parts) == 1:
        name = parts[0]

        def top(record):
            v = record.get(name)
            return None if v is None else convert(v)
        return top

    def nested(record):
        v: Any = record
        for part in parts:
            if not isinstance(v, dict):
                return None
            v = v.get(part)
            if v is None:
                return None
        return convert(v)
    return nested


@dataclass(frozen=True)
class RowRule:
    check: QualityCheck
    fields: tuple
    getters: dict

    def compile(self, now_ms: float) -> Callable[[dict], Optional[bool]]:
        return compile_row_rule(self.check.parsed.expression, self.getters.__getitem__, lambda: now_ms)


@dataclass(frozen=True)
class SkippedRule:
    check: QualityCheck
    reason: str


class PortValidator:
    """Validates batches for one port. Rules naming a field the port does not carry, and aggregate
    rules (a verdict on the whole data, not a record), are listed in ``skipped`` with the reason."""

    def __init__(self, contract: Contract, port: OutputPort, now: Callable[[], float], max_record_bytes: int = 1_000_000) -> None:
        self.port = port
        self.max_record_bytes = max_record_bytes
        self.schema_check = compile_schema_check(port.schema)
        self.rules: list = []
        self.skipped: list = []
        for check in contract.checks:
            if check.aggregate:
                self.skipped.append(SkippedRule(check, "an aggregate rule judges the whole data set, not a record: it runs on the table (Glue Data Quality)"))
                continue
            if contains_references(check.parsed.expression):
                self.skipped.append(SkippedRule(check, "it REFERENCES another product's port, whose values a record does not carry: it runs in mesh quality run and in Athena"))
                continue
            leaves = {}
            for name, _ in check.parsed.columns:
                leaf = resolve_leaf(port.leaves, name)
                if leaf is None:
                    break
                leaves[name] = leaf
            else:
                fields = tuple(dict.fromkeys(leaf.path for leaf in leaves.values()))
                getters = {name: _getter(leaf.path, _rule_value(leaf)) for name, leaf in leaves.items()}
                self.rules.append(RowRule(check, fields, getters))
                continue
            missing = [name for name, _ in check.parsed.columns if resolve_leaf(port.leaves, name) is None]
            self.skipped.append(SkippedRule(check, f"port {port.name} has no field {', '.join(dict.fromkeys(missing))}"))
        self.now = now
        self.conforms = fast_schema_check(port.schema)

    def validate(self, records: list, header: bytes) -> tuple:
        """(encoded values, problems blocking the batch, warnings) for a batch. NOW() is one
        instant for the batch, as CURRENT_TIMESTAMP is one per SQL statement."""
        problems: list = []
        warnings: list = []
        encoded: list = []
        now_ms = self.now()
        rules = [(rule, rule.compile(now_ms), problems if rule.check.severity == "error" else warnings) for rule in self.rules]
        parsed, conforms, schema_check, limit = self.port.parsed_schema, self.conforms, self.schema_check, self.max_record_bytes
        write = fastavro.schemaless_writer
        buffer = io.BytesIO()
        for index, record in enumerate(records):
            if not conforms(record):
                problem = schema_check(record)
                if problem is not None:
                    problems.append(RecordProblem(index, problem[0].lstrip(".") or None, AVRO, problem[1]))
                    continue
            for rule, evaluate, found in rules:
                try:
                    if evaluate(record) is not False:
                        continue
                    message = "the rule is false for this record"
                except RuleValueError as error:
                    message = str(error)
                found.append(RecordProblem(index, ", ".join(rule.fields), rule.check.rule, message))
            buffer.seek(0)
            buffer.truncate()
            write(buffer, parsed, record)
            value = header + buffer.getvalue()
            if len(value) > limit:
                problems.append(RecordProblem(index, _largest_field(record), "message size", f"the encoded record is {len(value)} bytes, over the {limit}-byte limit the producer and broker take"))
                continue
            encoded.append(value)
        return encoded, problems, warnings


def _largest_field(record: Any, prefix: str = "") -> Optional[str]:
    best, size = None, -1
    for name, value in (record.items() if isinstance(record, dict) else ()):
        if isinstance(value, dict):
            inner = _largest_field(value, f"{prefix}{name}.")
            length = len(repr(value))
            candidate = inner or f"{prefix}{name}"
        else:
            length, candidate = len(value) if isinstance(value, (str, bytes)) else len(repr(value)), f"{prefix}{name}"
        if length > size:
            best, size = candidate, length
    return best
