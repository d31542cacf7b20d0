"""Schema registries: where a port's schema gets the id every record's header names.

A registry returns the header (the wire-format prefix) for a subject's schema:
- AWS Glue Schema Registry, the platform's (``GlueSchemaRegistry``; ``packages/cdk`` deploys the
  subjects): byte 3 (header version), byte 0 (no compression), the 16-byte schema version UUID;
  what ``packages/cdk/lambda/pii-projection`` reads and writes.
- Confluent Schema Registry framing (``confluent_header``): byte 0, the 4-byte big-endian schema id.
``LocalSchemaRegistry`` is an in-process registry for tests and local runs (no compatibility
checks: CI's ``mesh compat`` and the deployed registry make those).
"""

from __future__ import annotations

import json
import struct
import uuid
from typing import Optional, Protocol

from .errors import DataMeshError

GLUE_HEADER_VERSION = 3
GLUE_COMPRESSION_NONE = 0


def glue_header(schema_version_id: str) -> bytes:
    return bytes([GLUE_HEADER_VERSION, GLUE_COMPRESSION_NONE]) + uuid.UUID(schema_version_id).bytes


def confluent_header(schema_id: int) -> bytes:
    return b"\x00" + struct.pack(">I", schema_id)


def canonical(schema: dict) -> str:
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))


class SchemaRegistry(Protocol):
    def header(self, registry: str, subject: str, schema: dict, compatibility: str) -> bytes:
        """The wire-format header of ``schema`` under ``subject``; raises DataMeshError when the registry lacks it."""


class LocalSchemaRegistry:
    """In-process registry: each distinct schema of a subject becomes a version."""

    def __init__(self, wire: str = "glue") -> None:
        if wire not in ("glue", "confluent"):
            raise ValueError('wire must be "glue" or "confluent"')
        self.wire = wire
        self.versions: dict = {}
        self._next_id = 1

    def header(self, registry: str, subject: str, schema: dict, compatibility: str) -> bytes:
        key = (registry, subject, canonical(schema))
        if key not in self.versions:
            self.versions[key] = (str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(key))), self._next_id)
            self._next_id += 1
        version_id, schema_id = self.versions[key]
        return glue_header(version_id) if self.wire == "glue" else confluent_header(schema_id)

    def schema_of(self, header: bytes) -> Optional[dict]:
        """The schema a header names (what a consumer looks up)."""
        for (_, _, text), (version_id, schema_id) in self.versions.items():
            if header in (glue_header(version_id), confluent_header(schema_id)):
                return json.loads(text)
        return None


class GlueSchemaRegistry:
    """The domain registries in AWS Glue (``<domain>-domain``). The platform deploys each version
    (packages/cdk SchemaSubject); by default a schema Glue does not hold is an error, not a registration."""

    def __init__(self, client=None, register: bool = False) -> None:
        if client is None:
            import boto3
            client = boto3.client("glue")
        self.client = client
        self.register = register
        self._cache: dict = {}

    def header(self, registry: str, subject: str, schema: dict, compatibility: str) -> bytes:
        key = (registry, subject, canonical(schema))
        if key not in self._cache:
            text = json.dumps(schema)
            schema_id = {"RegistryName": registry, "SchemaName": subject}
            try:
                found = self.client.get_schema_by_definition(SchemaId=schema_id, SchemaDefinition=text)
                version_id = found["SchemaVersionId"]
            except self.client.exceptions.EntityNotFoundException:
                if not self.register:
                    raise DataMeshError(f"the Glue registry {registry} has no version of {subject} with this schema: deploy the contract first (mesh synth / cdk deploy)") from None
                version_id = self.client.register_schema_version(SchemaId=schema_id, SchemaDefinition=text)["SchemaVersionId"]
            self._cache[key] = glue_header(version_id)
        return self._cache[key]
