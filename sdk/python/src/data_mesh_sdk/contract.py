"""A data product's contract as the SDK publishes by it: read from the repository
(``domains/<domain>/<product>/data-product.yaml`` and the Avro schemas it references) or from
a bundle (one JSON file, see README "Bundle format").

Names are derived as ``packages/spec`` and ``packages/cdk`` derive them: the topic is the
port's ``topic``; the schema subject is the ``<subject>`` of ``schema-registry://<domain>/<subject>``
in the Glue registry ``<domain>-domain`` (``schemaRegistryName``); the Glue database
``<domain with - as _>_domain`` and table ``<product with - as _>_<port>`` (``glueDatabaseName``,
``portTableName``) are what the deployed quality checkpoint's EventBridge rule matches.

This is not ``mesh validate``: it refuses, with the file and line, what the SDK cannot publish
by (a missing topic or schema, a schema that does not parse, a rule that does not parse, ...).
CI's ``mesh validate`` stays the authority on the rest of the contract.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional

import fastavro
import yaml

from .errors import ContractError, ContractProblem
from .rules import ParsedRule, RuleSyntaxError, contains_aggregate, parse_rule

COMPATIBILITY_MODES = ("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE")
DEFAULT_COMPATIBILITY = "BACKWARD_TRANSITIVE"
BUNDLE_FORMAT = "data-mesh-sdk/bundle-v1"
PRODUCT_ID = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")
SCHEMA_REF = re.compile(r"^schema-registry://([a-z0-9-]+)/([A-Za-z0-9_.-]+)$")
SEMVER = re.compile(r"^(\d+)\.\d+\.\d+(?:[-+].*)?$")
TIME_LOGICAL_TYPES = ("date", "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros")


def glue_database_name(domain: str) -> str:
    return f"{domain.replace('-', '_')}_domain"


def port_table_name(product: str, port: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", f"{product}_{port}".lower())


def schema_registry_name(domain: str) -> str:
    return f"{domain}-domain"


@dataclass(frozen=True)
class Leaf:
    """A field a rule or the key can name: its dotted path and its Avro type (nulls unwrapped)."""
    path: str
    avro_type: Any
    logical_type: Optional[str]


@dataclass(frozen=True)
class QualityCheck:
    index: int
    rule: str
    severity: str
    parsed: ParsedRule
    line: Optional[int]

    @property
    def aggregate(self) -> bool:
        return contains_aggregate(self.parsed.expression)


@dataclass(frozen=True)
class OutputPort:
    name: str
    type: str
    topic: Optional[str]
    subject: str
    registry: str
    compatibility: str
    schema: dict
    """The Avro schema as JSON (what the registry holds)."""
    parsed_schema: Any = field(repr=False, compare=False)
    leaves: dict = field(repr=False, compare=False)
    key_field: Optional[str]
    record_time_field: Optional[str]
    database_name: str
    table_name: str


@dataclass(frozen=True)
class Contract:
    product_id: str
    domain: str
    name: str
    version: str
    file: str
    ports: dict
    checks: tuple

    def port(self, name: str) -> OutputPort:
        from .errors import UnknownPortError
        port = self.ports.get(name)
        if port is None:
            raise UnknownPortError(f'{self.product_id} has no output port "{name}" (it has: {", ".join(self.ports)})')
        return port

    def to_bundle(self) -> dict:
        """The bundle of this contract (JSON-serializable; ``load_bundle`` reads it back)."""
        return {
            "format": BUNDLE_FORMAT,
            "product": self.product_id,
            "version": self.version,
            "ports": [
                {
                    "name": p.name, "type": p.type, "topic": p.topic, "subject": p.subject, "registry": p.registry,
                    "compatibility": p.compatibility, "schema": p.schema, "keyField": p.key_field,
                    "recordTimeField": p.record_time_field, "databaseName": p.database_name, "tableName": p.table_name,
                }
                for p in self.ports.values()
            ],
            "qualityChecks": [{"rule": c.rule, "severity": c.severity} for c in self.checks],
        }


class _Locator:
    """Line numbers of YAML nodes by path, for problems reported at the right line."""

    def __init__(self, text: str) -> None:
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            self.root = None

    def line(self, path: tuple) -> Optional[int]:
        node = self.root
        found = None
        for key in path:
            if node is None:
                break
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                node = None
            if node is not None:
                found = node.start_mark.line + 1
        return found


def load_contract(product_id: str, root: str = ".") -> Contract:
    """The contract of ``<domain>/<product>`` in the repository at ``root``; ContractError if unusable."""
    if not PRODUCT_ID.match(product_id):
        raise ContractError(product_id, [ContractProblem(None, None, f'"{product_id}" is not <domain>/<product>, e.g. customer/customer-360')])
    domain, name = product_id.split("/")
    rel = os.path.join("domains", domain, name, "data-product.yaml")
    file = os.path.join(root, rel)
    try:
        with open(file, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise ContractError(rel, [ContractProblem(None, None, f"cannot read the contract: {error.strerror}")]) from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ContractError(rel, [ContractProblem(mark.line + 1 if mark else None, None, f"not YAML: {getattr(error, 'problem', error)}")]) from None
    locator = _Locator(text)
    builder = _Builder(rel, locator.line)
    if not isinstance(spec, dict):
        builder.problem((), "the contract is not a mapping (apiVersion, kind, metadata, spec)")
        builder.raise_if_any()
    builder.expect(spec.get("apiVersion") == "data-mesh/v1", ("apiVersion",), 'apiVersion must be "data-mesh/v1"')
    builder.expect(spec.get("kind") == "DataProduct", ("kind",), 'kind must be "DataProduct"')
    metadata = spec.get("metadata") if isinstance(spec.get("metadata"), dict) else {}
    body = spec.get("spec") if isinstance(spec.get("spec"), dict) else {}
    builder.expect(metadata.get("name") == name, ("metadata", "name"), f'metadata.name must be the folder\'s name "{name}"')
    builder.expect(metadata.get("domain") == domain, ("metadata", "domain"), f'metadata.domain must be the folder\'s domain "{domain}"')
    version = metadata.get("version")
    builder.expect(isinstance(version, str) and SEMVER.match(version) is not None, ("metadata", "version"), "metadata.version must be a semver string, e.g. \"2.1.0\"")
    ports_spec = body.get("outputPorts")
    if not isinstance(ports_spec, list) or not ports_spec:
        builder.problem(("spec", "outputPorts"), "spec.outputPorts must list at least one port")
        ports_spec = []
    governance = body.get("governance") if isinstance(body.get("governance"), dict) else {}
    subject_id = governance.get("subject_id_field") if governance.get("gdpr_subject_to_erasure") is True else None
    major = SEMVER.match(version).group(1) if isinstance(version, str) and SEMVER.match(version) else None
    ports: dict = {}
    for i, port in enumerate(ports_spec):
        at = ("spec", "outputPorts", i)
        if not isinstance(port, dict) or not isinstance(port.get("name"), str):
            builder.problem(at, "an output port needs a name")
            continue
        if port["name"] in ports:
            builder.problem(at + ("name",), f'the port name "{port["name"]}" is used twice')
            continue
        built = builder.port(root, domain, name, port, at, subject_id, major)
        if built is not None:
            ports[built.name] = built
    checks = builder.checks(body.get("qualityChecks"))
    builder.raise_if_any()
    return Contract(product_id, domain, name, version, rel, ports, checks)


def load_bundle(path: str) -> Contract:
    """A contract from a bundle file (README "Bundle format"); ContractError if unusable."""
    try:
        with open(path, encoding="utf-8") as f:
            bundle = json.load(f)
    except (OSError, ValueError) as error:
        raise ContractError(path, [ContractProblem(None, None, f"cannot read the bundle: {error}")]) from None
    builder = _Builder(path, lambda _path: None)
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        builder.problem(("format",), f'a bundle has "format": "{BUNDLE_FORMAT}"')
        builder.raise_if_any()
    product_id = bundle.get("product")
    if not isinstance(product_id, str) or not PRODUCT_ID.match(product_id):
        builder.problem(("product",), 'a bundle names its product as "<domain>/<product>"')
        builder.raise_if_any()
    domain, name = product_id.split("/")
    ports: dict = {}
    for i, entry in enumerate(bundle.get("ports") or []):
        at = ("ports", i)
        try:
            parsed = fastavro.parse_schema(entry["schema"])
        except Exception as error:  # fastavro raises several types for a bad schema
            builder.problem(at + ("schema",), f"the schema does not parse as Avro: {error}")
            continue
        leaves = _leaves(entry["schema"])
        ports[entry["name"]] = OutputPort(
            entry["name"], entry["type"], entry.get("topic"), entry["subject"], entry["registry"],
            entry.get("compatibility", DEFAULT_COMPATIBILITY), entry["schema"], parsed, leaves,
            entry.get("keyField"), entry.get("recordTimeField"), entry["databaseName"], entry["tableName"])
    checks = builder.checks(bundle.get("qualityChecks"))
    builder.raise_if_any()
    return Contract(product_id, domain, name, str(bundle.get("version")), path, ports, checks)


class _Builder:
    def __init__(self, file: str, line) -> None:
        self.file = file
        self.line = line
        self.problems: list[ContractProblem] = []

    def problem(self, path: tuple, message: str, column: Optional[int] = None) -> None:
        self.problems.append(ContractProblem(self.line(path) if path else None, column, message))

    def expect(self, ok: bool, path: tuple, message: str) -> None:
        if not ok:
            self.problem(path, message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContractError(self.file, self.problems)

    def port(self, root, domain, product, spec, at, subject_id, major) -> Optional[OutputPort]:
        port_type = spec.get("type")
        if port_type not in ("stream", "batch"):
            self.problem(at + ("type",), f'port {spec["name"]}: type must be "stream" or "batch"')
            return None
        topic = spec.get("topic")
        if port_type == "stream" and not isinstance(topic, str):
            self.problem(at, f"port {spec['name']}: a stream port needs a topic")
            return None
        if isinstance(topic, str) and major is not None and not spec.get("deprecated") and not topic.endswith(f"v{major}"):
            self.problem(at + ("topic",), f'port {spec["name"]}: the topic "{topic}" must end in v{major} (metadata.version\'s major)')
        compatibility = spec.get("compatibility", DEFAULT_COMPATIBILITY)
        if compatibility not in COMPATIBILITY_MODES:
            self.problem(at + ("compatibility",), f'port {spec["name"]}: compatibility "{compatibility}" is not one of {", ".join(COMPATIBILITY_MODES)}')
        ref = spec.get("schema")
        match = SCHEMA_REF.match(ref) if isinstance(ref, str) else None
        if not match:
            self.problem(at + ("schema",), f"port {spec['name']}: schema must be schema-registry://<domain>/<subject>")
            return None
        schema_domain, subject = match.groups()
        schema_file = os.path.join(root, "domains", schema_domain, "schemas", f"{subject}.avsc")
        try:
            with open(schema_file, encoding="utf-8") as f:
                schema = json.load(f)
            parsed = fastavro.parse_schema(schema)
        except OSError:
            self.problem(at + ("schema",), f"port {spec['name']}: {ref} resolves to domains/{schema_domain}/schemas/{subject}.avsc, which does not exist")
            return None
        except Exception as error:  # JSON or Avro errors, several types
            self.problem(at + ("schema",), f"port {spec['name']}: domains/{schema_domain}/schemas/{subject}.avsc does not parse as Avro: {error}")
            return None
        if not isinstance(schema, dict) or schema.get("type") != "record":
            self.problem(at + ("schema",), f"port {spec['name']}: the schema must be an Avro record")
            return None
        leaves = _leaves(schema)
        key_field = resolve_leaf(leaves, subject_id) if subject_id else None
        return OutputPort(
            spec["name"], port_type, topic, subject, schema_registry_name(schema_domain), compatibility, schema, parsed,
            leaves, key_field.path if key_field else None, _record_time_field(schema, spec),
            glue_database_name(domain), port_table_name(product, spec["name"]))

    def checks(self, spec) -> tuple:
        out = []
        if spec is None:
            return ()
        if not isinstance(spec, list):
            self.problem(("spec", "qualityChecks"), "spec.qualityChecks must be a list")
            return ()
        for i, check in enumerate(spec):
            at = ("spec", "qualityChecks", i)
            if not isinstance(check, dict) or not isinstance(check.get("rule"), str):
                self.problem(at, "a quality check needs a rule (text)")
                continue
            severity = check.get("severity", "error")
            if severity not in ("error", "warning"):
                self.problem(at + ("severity",), f'severity must be "error" or "warning", not "{severity}"')
                continue
            try:
                parsed = parse_rule(check["rule"])
            except RuleSyntaxError as error:
                self.problem(at + ("rule",), f'the rule "{check["rule"]}" does not parse: {error.message} (at character {error.offset + 1})', error.offset + 1)
                continue
            out.append(QualityCheck(i, check["rule"], severity, parsed, self.line(at + ("rule",))))
        return tuple(out)


def _named(schema: Any, named: dict, namespace: str = "") -> Any:
    """Resolves a named-type reference; registers named types as they are met."""
    if isinstance(schema, str):
        return named.get(schema) or named.get(f"{namespace}.{schema}") or schema
    if isinstance(schema, dict) and schema.get("type") in ("record", "error", "enum", "fixed") and "name" in schema:
        full = schema["name"] if "." in schema["name"] else f"{schema.get('namespace', namespace)}.{schema['name']}".lstrip(".")
        named[full] = schema
        named[schema["name"]] = schema
    return schema


def _leaves(schema: dict) -> dict:
    """Every field reachable through records and nullable records (one value per record), by dotted path."""
    named: dict = {}
    out: dict = {}

    def walk(record: dict, prefix: str, namespace: str, on_path: set) -> None:
        ns = record.get("namespace", namespace)
        for f in record.get("fields", []):
            path = f"{prefix}{f['name']}"
            t = _named(f["type"], named, ns)
            if isinstance(t, list):
                branches = [_named(b, named, ns) for b in t if b != "null"]
                t = branches[0] if len(branches) == 1 else t
            nested = t if isinstance(t, dict) and t.get("type") in ("record", "error") else None
            if nested is None:
                logical = t.get("logicalType") if isinstance(t, dict) else None
                out[path] = Leaf(path, t, logical)
            elif id(nested) not in on_path:
                out[path] = Leaf(path, nested, None)
                walk(nested, f"{path}.", ns, on_path | {id(nested)})

    _named(schema, named)
    walk(schema, "", schema.get("namespace", ""), {id(schema)})
    return out


def resolve_leaf(leaves: dict, ref: str) -> Optional[Leaf]:
    """A field reference as packages/schema-compat's lookupField resolves it: the exact dotted path,
    else a bare name matching exactly one leaf by its last segment."""
    if ref in leaves:
        return leaves[ref]
    if "." not in ref:
        matches = [leaf for path, leaf in leaves.items() if path.endswith(f".{ref}") and not _is_record(leaf.avro_type)]
        if len(matches) == 1:
            return matches[0]
    return None


def _is_record(t: Any) -> bool:
    return isinstance(t, dict) and t.get("type") in ("record", "error")


def _record_time_field(schema: dict, spec: dict) -> Optional[str]:
    """The port's recordTimeField, else its first required top-level date/timestamp field
    (packages/spec's recordTimeField, applied to stream ports too: the run's max event time)."""
    fields = schema.get("fields", [])
    declared = spec.get("recordTimeField")
    for f in fields:
        t = f["type"]
        logical = t.get("logicalType") if isinstance(t, dict) else None
        if declared is not None:
            if f["name"] == declared and logical in TIME_LOGICAL_TYPES:
                return f["name"]
        elif logical in TIME_LOGICAL_TYPES:
            return f["name"]
    return None
