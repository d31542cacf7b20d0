"""The ``Pipeline Run Succeeded`` event (source ``data-mesh.pipeline``) that the deployed quality
checkpoint waits for: packages/cdk QualityRuleset's EventBridge rule matches
``detail.databaseName`` and ``detail.tableName``. Emitters are pluggable: EventBridge in production,
``LocalEmitter`` (kept in memory) for tests and local runs."""

from __future__ import annotations

import json
from typing import Protocol

from .errors import EmitError

SOURCE = "data-mesh.pipeline"
DETAIL_TYPE = "Pipeline Run Succeeded"


class EventEmitter(Protocol):
    def emit(self, source: str, detail_type: str, detail: dict) -> None:
        """Sends one event; raises EmitError when it is not accepted."""


class LocalEmitter:
    def __init__(self) -> None:
        self.events: list = []

    def emit(self, source: str, detail_type: str, detail: dict) -> None:
        self.events.append({"source": source, "detail-type": detail_type, "detail": json.loads(json.dumps(detail))})


class EventBridgeEmitter:
    def __init__(self, client=None, event_bus_name: str = "default") -> None:
        if client is None:
            import boto3
            client = boto3.client("events")
        self.client = client
        self.event_bus_name = event_bus_name

    def emit(self, source: str, detail_type: str, detail: dict) -> None:
        response = self.client.put_events(Entries=[{
            "Source": source, "DetailType": detail_type, "Detail": json.dumps(detail), "EventBusName": self.event_bus_name,
        }])
        if response.get("FailedEntryCount", 0):
            entry = response["Entries"][0]
            raise EmitError(f"EventBridge refused the {detail_type} event: {entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")
