"""Publishing on a real broker: an independent consumer reads what the SDK wrote and decodes it
with the contract's schema file; batches are all-or-nothing; the run's event names the table the
deployed checkpoint's EventBridge rule matches."""

import datetime as dt
import io
import json
import os
import re
import subprocess
import time
import uuid

import fastavro
import pytest
from confluent_kafka import Consumer, TopicPartition

from data_mesh_sdk import DataProduct, LocalEmitter, LocalSchemaRegistry, PublishError, RecordsRejected, load_contract
from envelopes import envelope
from kafka_broker import REPO

PRODUCT = "customer/customer-360"
PORT = "customer_profile_stream"
TOPIC = "customer-domain.customer-360.v2"
SCHEMA_FILE = os.path.join(REPO, "domains", "customer", "schemas", "customer_profile_v2.avsc")


def end_offset(bootstrap: str, topic: str) -> int:
    """Where the next record of the topic's partition goes (the tests' topics have one partition)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"test-{uuid.uuid4()}"})
    try:
        return max(consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[1], 0)
    finally:
        consumer.close()


def consume_all(bootstrap: str, topic: str, expect: int, timeout_s: float = 20, start: int = 0) -> list:
    """The committed records from offset start on, read by an independent read_committed consumer."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"test-{uuid.uuid4()}", "auto.offset.reset": "earliest",
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    try:
        consumer.assign([TopicPartition(topic, 0, start)])
        messages, deadline = [], time.monotonic() + timeout_s
        while time.monotonic() < deadline and len(messages) < expect:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                messages.append(message)
        # Anything beyond what was expected must not be there either.
        extra = consumer.poll(1.0)
        if extra is not None and extra.error() is None:
            messages.append(extra)
        return messages
    finally:
        consumer.close()


def committed_count(bootstrap: str, topic: str) -> int:
    return len(consume_all(bootstrap, topic, expect=10**9, timeout_s=4))


@pytest.fixture()
def product(broker, repo_root):
    registry, emitter = LocalSchemaRegistry(), LocalEmitter()
    with DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": broker.bootstrap}, registry=registry, emitter=emitter) as opened:
        yield opened


def test_an_independent_consumer_reads_and_decodes_what_the_sdk_published(broker, product):
    records = [envelope(i) for i in range(250)]
    product.publish(PORT, [envelope(0)])  # the topic exists before its end is read
    start = end_offset(broker.bootstrap, TOPIC)
    result = product.publish(PORT, records)
    assert (result.topic, result.published) == (TOPIC, 250)

    with open(SCHEMA_FILE, encoding="utf-8") as f:
        schema = fastavro.parse_schema(json.load(f))
    messages = consume_all(broker.bootstrap, TOPIC, expect=250, start=start)
    assert len(messages) == 250
    header = product.registry.header("customer-domain", "customer_profile_v2", load_contract(PRODUCT, REPO).port(PORT).schema, "BACKWARD_TRANSITIVE")
    decoded = []
    for message in messages:
        value = message.value()
        assert value[0] == 3 and value[1] == 0 and value[:18] == header  # Glue Schema Registry: version 3, uncompressed, version UUID
        decoded.append(fastavro.schemaless_reader(io.BytesIO(value[18:]), schema))
        assert message.key() == decoded[-1]["payload"]["customer_id"].encode()  # keyed by governance.subject_id_field
    assert sorted(decoded, key=lambda r: r["payload"]["customer_id"]) == records


def test_the_pii_projection_reads_the_sdks_wire_format(product):
    """packages/cdk's PiiProjection decodes every record of the topic: the SDK's header must be what it reads."""
    encoded, problems, _ = product.validate(PORT, [envelope(1)])
    assert problems == []
    script = ("const {decodeValue} = require('./packages/cdk/lambda/pii-projection/projection.js');"
              "const d = decodeValue(Buffer.from(process.argv[1], 'hex'));"
              "console.log(JSON.stringify({id: d.schemaVersionId, avro: d.avro.toString('hex')}));")
    done = subprocess.run(["node", "-e", script, encoded[0].hex()], capture_output=True, text=True, cwd=REPO, timeout=30)
    assert done.returncode == 0, done.stderr
    decoded = json.loads(done.stdout)
    assert uuid.UUID(decoded["id"]).bytes == encoded[0][2:18]
    assert bytes.fromhex(decoded["avro"]) == encoded[0][18:]


def test_a_batch_with_one_bad_record_publishes_nothing(broker, product):
    before = committed_count(broker.bootstrap, TOPIC)
    records = [envelope(i) for i in range(100)]
    records[57] = envelope(57, lifetime_value_usd=-3.0)
    with pytest.raises(RecordsRejected) as rejected:
        product.publish(PORT, records)
    problem = rejected.value.problems[0]
    assert (problem.index, problem.field, problem.rule) == (57, "payload.lifetime_value_usd", "lifetime_value_usd >= 0")
    assert "nothing was published" in str(rejected.value)
    assert committed_count(broker.bootstrap, TOPIC) == before


def test_the_run_event_has_the_port_counts_and_max_event_time(broker, repo_root):
    emitter = LocalEmitter()
    with DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": broker.bootstrap}, registry=LocalSchemaRegistry(), emitter=emitter) as product:
        old = envelope(1, last_seen_at="2020-01-01T00:00:00Z")  # breaks only the warning rule (30 days)
        result = product.publish(PORT, [envelope(0), old])
    assert [w.rule for w in result.warnings] == ["last_seen_at > (NOW() - INTERVAL 30 DAY)"]
    [event] = emitter.events
    assert event["source"] == "data-mesh.pipeline" and event["detail-type"] == "Pipeline Run Succeeded"
    detail = event["detail"]
    assert detail["port"] == PORT and detail["rowCounts"] == {"published": 2, "rejected": 0, "warnings": 1}
    assert detail["maxEventTime"] == detail["publishedAt"] and detail["eventTimeField"] is None  # the envelope has no timestamp field
    assert (detail["databaseName"], detail["tableName"]) == ("customer_domain", "customer_360_customer_profile_stream")


def test_the_batch_ports_event_matches_the_deployed_checkpoints_rule(repo_root):
    """infra's test pins the QualityRuleset pattern of customer-360's snapshot table; the SDK's names must be those."""
    with open(os.path.join(repo_root, "infra", "test", "example-domains.test.ts"), encoding="utf-8") as f:
        pattern = re.search(r"detail: \{ databaseName: \['([^']+)'\], tableName: \['([^']+)'\] \}", f.read())
    emitter = LocalEmitter()
    with DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": "127.0.0.1:9"}, registry=LocalSchemaRegistry(), emitter=emitter) as product:
        product.report_run("customer_snapshot_daily", 1200, dt.datetime(2026, 12, 6, tzinfo=dt.timezone.utc))
    [event] = emitter.events
    assert (event["source"], event["detail-type"]) == ("data-mesh.pipeline", "Pipeline Run Succeeded")
    assert (event["detail"]["databaseName"], event["detail"]["tableName"]) == pattern.groups()
    assert event["detail"]["rowCounts"]["published"] == 1200 and event["detail"]["maxEventTime"] == "2026-12-06T00:00:00.000Z"
    assert event["detail"]["eventTimeField"] == "snapshot_date"


def test_confluent_framing_is_magic_byte_and_schema_id(broker, repo_root):
    registry = LocalSchemaRegistry(wire="confluent")
    with DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": broker.bootstrap}, registry=registry, emitter=LocalEmitter()) as product:
        encoded, _, _ = product.validate(PORT, [envelope(3)])
    assert encoded[0][0] == 0 and int.from_bytes(encoded[0][1:5], "big") == 1
    assert registry.schema_of(encoded[0][:5])["name"] == "CustomerProfile"


def test_a_broker_that_is_down_fails_in_bounded_time_with_the_address(repo_root):
    from kafka_broker import free_port
    address = f"127.0.0.1:{free_port()}"
    with DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": address}, registry=LocalSchemaRegistry(), emitter=LocalEmitter(), timeout_s=3) as product:
        started = time.monotonic()
        with pytest.raises(PublishError) as failed:
            product.publish(PORT, [envelope(i) for i in range(10)])
        assert time.monotonic() - started < 15
    assert address in str(failed.value) and "broker" in str(failed.value)
    assert product.emitter.events == []


def test_a_broker_lost_between_runs_fails_the_next_run_and_announces_nothing(repo_root):
    from kafka_broker import KafkaBroker
    own = KafkaBroker()
    try:
        own.start()
        emitter = LocalEmitter()
        product = DataProduct.open(PRODUCT, root=repo_root, kafka={"bootstrap.servers": own.bootstrap}, registry=LocalSchemaRegistry(), emitter=emitter, timeout_s=4)
        product.publish(PORT, [envelope(i) for i in range(5)])
        own.process.kill()
        own.process.wait()
        with pytest.raises(PublishError) as failed:
            product.publish(PORT, [envelope(i) for i in range(20_000)])
        assert "aborted" in str(failed.value) or "cannot" in str(failed.value)
        assert len(emitter.events) == 1  # only the first, committed run announced itself
        product.close()  # the failed producer was let go: nothing of the aborted batch is left to send
    finally:
        own.stop()
