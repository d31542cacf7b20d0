"""A data product as domain code publishes it: open by id, publish a batch to an output port by name."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from confluent_kafka import KafkaError, KafkaException, Producer

from .contract import Contract, OutputPort, load_bundle, load_contract
from .errors import DataMeshError, PublishError, RecordsRejected
from .events import DETAIL_TYPE, SOURCE, EventEmitter
from .registry import SchemaRegistry
from .validation import PortValidator, SkippedRule, _getter, _rule_value

# The producer's guarantees: not overridable by the caller's config.
GUARANTEES = {"enable.idempotence": True, "acks": "all"}
# What every consumer of the platform decodes: its kafkajs functions (freshness monitor, PII
# projection) have gzip built in, no lz4, snappy or zstd codec. The default is none: gzip costs the
# producer's core about as much as validating and encoding together (bench/sdk).
COMPRESSIONS = ("none", "gzip")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class PublishResult:
    port: str
    topic: str
    published: int
    warnings: list
    """Records that broke a warning-severity rule (published; the rule alerts, it does not block)."""
    skipped_rules: list
    """Rules of the product not judged per record on this port, each with the reason."""
    max_event_time: Optional[str]
    event: dict


KeyFunction = Callable[[dict], Union[str, bytes, None]]


class DataProduct:
    """Publishes by a product's contract. Every batch is validated whole (Avro schema, size, the
    row-level rules), then produced in one Kafka transaction on an idempotent producer (acks=all):
    a batch is visible to read_committed consumers entirely or not at all. After the commit the
    ``Pipeline Run Succeeded`` event goes to the emitter."""

    def __init__(self, contract: Contract, *, kafka: dict, registry: SchemaRegistry, emitter: EventEmitter,
                 now: Optional[Callable[[], float]] = None, transactional_id: Optional[str] = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        for name, value in GUARANTEES.items():
            if name in kafka and kafka[name] not in (value, str(value).lower()):
                raise ValueError(f"kafka config {name}={kafka[name]!r}: the SDK publishes with {name}={value} only")
        compression = kafka.get("compression.type", kafka.get("compression.codec", "none"))
        if compression not in COMPRESSIONS:
            raise ValueError(f"kafka config compression {compression!r}: the platform's kafkajs consumers (freshness monitor, PII projection) decode {' or '.join(COMPRESSIONS)} only")
        if "bootstrap.servers" not in kafka:
            raise ValueError('kafka config needs "bootstrap.servers"')
        self.contract = contract
        self.registry = registry
        self.emitter = emitter
        self.now = now or (lambda: time.time() * 1000)
        self.timeout_s = timeout_s
        self._bootstrap = kafka["bootstrap.servers"]
        self._config = {
            "linger.ms": 5, "compression.type": "none",
            "transaction.timeout.ms": int(max(timeout_s * 2, 60) * 1000),
            "message.timeout.ms": int(timeout_s * 1000),
            **kafka, **GUARANTEES,
            "transactional.id": transactional_id or f"data-mesh.{contract.domain}.{contract.name}.{uuid.uuid4()}",
            # Only failed deliveries are reported (one Python call per failure, not per record).
            "delivery.report.only.error": True, "on_delivery": self._delivered,
        }
        self._failures: list = []
        self.max_record_bytes = int(self._config.get("message.max.bytes", 1_000_000))
        self._producer: Optional[Producer] = None
        self._validators: dict = {}

    @classmethod
    def open(cls, product_id: str, *, root: str = ".", bundle: Optional[str] = None, **options: Any) -> "DataProduct":
        """The product ``<domain>/<product>`` from the repository at ``root``, or from a ``bundle`` file."""
        contract = load_bundle(bundle) if bundle else load_contract(product_id, root)
        if contract.product_id != product_id:
            raise DataMeshError(f"the bundle {bundle} is of {contract.product_id}, not {product_id}")
        return cls(contract, **options)

    def __enter__(self) -> "DataProduct":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def skipped_rules(self, port_name: str) -> list:
        """The product's rules this port does not judge per record, with why."""
        return list(self._validator(self.contract.port(port_name)).skipped)

    def _validator(self, port: OutputPort) -> PortValidator:
        if port.name not in self._validators:
            self._validators[port.name] = PortValidator(self.contract, port, self.now, max_record_bytes=self.max_record_bytes)
        return self._validators[port.name]

    def validate(self, port_name: str, records: list) -> tuple:
        """(encoded values, blocking problems, warnings) without publishing."""
        port = self.contract.port(port_name)
        header = self.registry.header(port.registry, port.subject, port.schema, port.compatibility)
        return self._validator(port).validate(records, header)

    def publish(self, port_name: str, records: list, *, key: Optional[KeyFunction] = None) -> PublishResult:
        """Validates the whole batch, publishes it in one transaction, emits the run's event.
        Raises RecordsRejected (nothing produced), PublishError (the transaction aborted), EmitError."""
        port = self.contract.port(port_name)
        if port.type != "stream" or not port.topic:
            raise DataMeshError(f"port {port.name} of {self.contract.product_id} is a {port.type} port: the SDK publishes to stream ports (topics)")
        records = list(records)
        encoded, problems, warnings = self.validate(port_name, records)
        if problems:
            raise RecordsRejected(port.name, problems, len(records))
        keys = self._keys(port, records, key)
        self._transaction(port.topic, encoded, keys)
        result = self._result(port, records, warnings)
        self.emitter.emit(SOURCE, DETAIL_TYPE, result.event)
        return result

    def _keys(self, port: OutputPort, records: list, key: Optional[KeyFunction]) -> list:
        if key is None and port.key_field is None:
            return [None] * len(records)
        get = key or _getter(port.key_field, lambda v: v)
        out = []
        for record in records:
            k = get(record)
            out.append(None if k is None else k if isinstance(k, bytes) else str(k).encode())
        return out

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            producer = Producer(self._config)
            try:
                producer.init_transactions(self.timeout_s)
            except KafkaException as error:
                raise PublishError(f"cannot start a transactional producer on {self._bootstrap} within {self.timeout_s:g}s: {_describe(error)} (is the broker up and reachable?)") from None
            self._producer = producer
        return self._producer

    def _transaction(self, topic: str, values: list, keys: list) -> None:
        producer = self._ensure_producer()
        failures = self._failures
        failures.clear()
        produce = producer.produce
        try:
            producer.begin_transaction()
            for value, k in zip(values, keys):
                try:
                    produce(topic, value, k)
                except BufferError:
                    while True:
                        producer.poll(0.05)
                        try:
                            produce(topic, value, k)
                            break
                        except BufferError:
                            continue
                if failures:
                    break
            remaining = producer.flush(self.timeout_s)
            if failures or remaining:
                reason = _describe(failures[0]) if failures else f"{remaining} records not delivered within {self.timeout_s:g}s"
                self._abort(producer)
                raise PublishError(f"publishing {len(values)} records to {topic} on {self._bootstrap} failed: {reason}; the transaction was aborted, none of the batch is visible to read_committed consumers")
            producer.commit_transaction(self.timeout_s)
        except KafkaException as error:
            self._abort(producer)
            raise PublishError(f"publishing {len(values)} records to {topic} on {self._bootstrap} failed: {_describe(error)}; the transaction was aborted") from None

    def _delivered(self, err, _msg) -> None:
        if err is not None:
            self._failures.append(err)

    def _abort(self, producer: Producer) -> None:
        try:
            producer.abort_transaction(self.timeout_s)
        except KafkaException:
            # A fatal state (fenced, broker gone): this producer cannot go on; the next batch starts a new one.
            self._producer = None

    def _result(self, port: OutputPort, records: list, warnings: list) -> PublishResult:
        if port.record_time_field:
            get = _getter(port.record_time_field, _rule_value(port.leaves[port.record_time_field]))
            times = [t.ms for t in map(get, records) if t is not None]
            newest = dt.datetime.fromtimestamp(max(times) / 1000, dt.timezone.utc) if times else None
        else:
            newest = None
        event = self._event(port, len(records), len({w.index for w in warnings}), newest)
        return PublishResult(port.name, port.topic, len(records), warnings, list(self._validator(port).skipped), event["maxEventTime"], event)

    def _event(self, port: OutputPort, published: int, warned: int, newest: Optional[dt.datetime]) -> dict:
        published_at = dt.datetime.now(dt.timezone.utc)
        iso = lambda t: t.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")  # noqa: E731
        return {
            "domain": self.contract.domain,
            "product": self.contract.name,
            "productVersion": self.contract.version,
            "port": port.name,
            "topic": port.topic,
            "databaseName": port.database_name,
            "tableName": port.table_name,
            "rowCounts": {"published": published, "rejected": 0, "warnings": warned},
            # A port without a record-time field: the publish time stands for the run's event time.
            "maxEventTime": iso(newest or published_at),
            "eventTimeField": port.record_time_field if newest else None,
            "publishedAt": iso(published_at),
        }

    def report_run(self, port_name: str, rows: int, max_event_time: Optional[dt.datetime] = None) -> dict:
        """Emits ``Pipeline Run Succeeded`` for a port the pipeline wrote by other means (a batch
        port's Iceberg table, written by Spark or Glue): the deployed checkpoint then evaluates
        the table. Returns the event's detail."""
        port = self.contract.port(port_name)
        if max_event_time is not None and max_event_time.tzinfo is None:
            raise ValueError("max_event_time needs a timezone (tzinfo=timezone.utc)")
        detail = self._event(port, rows, 0, max_event_time)
        self.emitter.emit(SOURCE, DETAIL_TYPE, detail)
        return detail

    def close(self) -> None:
        """Flushes what is queued (a committed transaction has nothing left) and releases the producer."""
        if self._producer is not None:
            remaining = self._producer.flush(self.timeout_s)
            self._producer = None
            if remaining:
                raise PublishError(f"{remaining} records were still queued for {self._bootstrap} at close")


def _describe(error: Any) -> str:
    err = error.args[0] if isinstance(error, KafkaException) and error.args else error
    if isinstance(err, KafkaError):
        return f"{err.name()}: {err.str()}"
    return str(err)


__all__ = ["DataProduct", "PublishResult", "SkippedRule"]
