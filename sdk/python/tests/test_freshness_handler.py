"""packages/cdk/lambda/freshness against the real broker: the newest record time of a fresh topic
(the SDK's, written in transactions: the last offset is a commit marker) and of a stale one
(records stamped hours ago over several partitions), and no time for an empty topic."""

import json
import subprocess
import time
import uuid

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from data_mesh_sdk import DataProduct, LocalEmitter, LocalSchemaRegistry
from envelopes import envelope
from kafka_broker import REPO

HANDLER = "./packages/cdk/lambda/freshness/index.js"


def newest_record_time(bootstrap: str, topic: str):
    """What the handler measures, through its own code (kafkajs, plaintext to the local broker)."""
    event = {"kind": "topic", "kafkaSecurity": "plaintext", "bootstrapBrokers": bootstrap, "topicName": topic, "consumerGroup": f"data-mesh-freshness.{topic}.{uuid.uuid4()}"}
    script = f"require({HANDLER!r}).topicNewestRecordTime({json.dumps(event)}).then((t) => console.log(JSON.stringify({{newest: t === undefined ? null : t}})), (e) => {{ console.error(e); process.exit(1); }})"
    started = time.monotonic()
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=REPO, timeout=90)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])["newest"], time.monotonic() - started


def create_topic(bootstrap: str, name: str, partitions: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(name, partitions, 1)])
    futures[name].result(30)


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_a_fresh_topic_written_by_the_sdk(broker, repo_root, compression):
    kafka = {"bootstrap.servers": broker.bootstrap, "compression.type": compression}
    with DataProduct.open("customer/customer-360", root=repo_root, kafka=kafka, registry=LocalSchemaRegistry(), emitter=LocalEmitter()) as product:
        before = time.time() * 1000
        product.publish("customer_profile_stream", [envelope(i) for i in range(20)])
        after = time.time() * 1000
    newest, took = newest_record_time(broker.bootstrap, "customer-domain.customer-360.v2")
    assert newest is not None and before - 1000 <= newest <= after + 1000
    assert took < 15, f"the handler took {took:.1f}s: it waited for a record past the commit marker"


def test_a_stale_topic_over_several_partitions(broker):
    topic = f"stale-{uuid.uuid4().hex[:8]}.v1"
    create_topic(broker.bootstrap, topic, 3)
    now = int(time.time() * 1000)
    stamps = {0: now - 5 * 3600_000, 1: now - 3 * 3600_000, 2: now - 4 * 3600_000}
    producer = Producer({"bootstrap.servers": broker.bootstrap, "enable.idempotence": True, "acks": "all"})
    for partition, stamp in stamps.items():
        for k in range(3):
            producer.produce(topic, value=b"x", partition=partition, timestamp=stamp - k * 60_000)
            # the newest record of each partition is not its last: the handler must read a window, not one offset
        producer.produce(topic, value=b"y", partition=partition, timestamp=stamp - 600_000)
    assert producer.flush(30) == 0
    newest, _ = newest_record_time(broker.bootstrap, topic)
    assert newest == stamps[1]
    age_hours = (time.time() * 1000 - newest) / 3600_000
    assert 2.9 < age_hours < 3.1


def test_an_empty_topic_has_no_time(broker):
    topic = f"empty-{uuid.uuid4().hex[:8]}.v1"
    create_topic(broker.bootstrap, topic, 1)
    newest, _ = newest_record_time(broker.bootstrap, topic)
    assert newest is None


def test_records_it_cannot_decode_fail_the_measurement_loudly(broker):
    """lz4 (which kafkajs cannot decode, and the SDK therefore never writes) must not read as "no data"."""
    topic = f"lz4-{uuid.uuid4().hex[:8]}.v1"
    create_topic(broker.bootstrap, topic, 1)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "compression.type": "lz4"})
    producer.produce(topic, value=b"x" * 100)
    assert producer.flush(30) == 0
    event = {"kind": "topic", "kafkaSecurity": "plaintext", "bootstrapBrokers": broker.bootstrap, "topicName": topic, "consumerGroup": f"g-{uuid.uuid4()}"}
    script = f"require({HANDLER!r}).topicNewestRecordTime({json.dumps(event)}).then((t) => console.log('measured', t), (e) => {{ console.error('failed:', e.message); process.exit(3); }})"
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=REPO, timeout=90)
    assert done.returncode == 3 and "LZ4" in done.stderr, done.stdout + done.stderr
