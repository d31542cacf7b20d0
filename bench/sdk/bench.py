"""records/s of data-mesh-sdk's publish with validation: customer-360 envelopes to a local KRaft
broker, at several batch sizes, with the share of each stage (Avro + rule validation, Avro
encoding, Kafka produce + transaction commit). The Python process and its librdkafka threads are
pinned to one core; the broker (a JVM) runs beside it.

    .tools/sdk-venv-*/bin/python bench/sdk/bench.py [--sizes 1000,10000,50000] [--repeat 3]
(scripts/setup-sdk.sh prints that python; scripts/setup-kafka.sh fetches the broker)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "sdk", "python", "tests"))

import fastavro  # noqa: E402

from data_mesh_sdk import DataProduct, LocalEmitter, LocalSchemaRegistry  # noqa: E402
from envelopes import envelope  # noqa: E402
from kafka_broker import KafkaBroker  # noqa: E402

PORT = "customer_profile_stream"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compression", default="none,gzip", help="producer compressions to run (the SDK takes none or gzip)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    broker = KafkaBroker()
    try:
        broker.start()
        for compression in args.compression.split(","):
            run(broker, compression, sizes, args.repeat)
    finally:
        broker.stop()


def run(broker: KafkaBroker, compression: str, sizes: list, repeat: int) -> None:
    with DataProduct.open("customer/customer-360", root=REPO, kafka={"bootstrap.servers": broker.bootstrap, "compression.type": compression},
                          registry=LocalSchemaRegistry(), emitter=LocalEmitter()) as product:
        product.publish(PORT, [envelope(0)])  # producer started, topic created, coordinator loaded
        validator = product._validator(product.contract.port(PORT))
        parsed = product.contract.port(PORT).parsed_schema
        print(f"\ncustomer-360 {PORT}, compression {compression}: {len(validator.rules)} row rules judged per record, {len(validator.skipped)} skipped; "
              f"one core (pid {os.getpid()} pinned), broker on 127.0.0.1; best of {repeat}")
        print(f"{'batch':>7} {'records/s':>10} {'validate':>9} {'encode':>7} {'kafka':>6}   (share of publish time)")
        for size in sizes:
            records = [envelope(i) for i in range(size)]

            def check_only():
                rules = [rule.compile(time.time() * 1000) for rule in validator.rules]
                for record in records:
                    if not validator.conforms(record):
                        validator.schema_check(record)
                    for evaluate in rules:
                        evaluate(record)

            def encode_only():
                buffer = io.BytesIO()
                for record in records:
                    buffer.seek(0)
                    buffer.truncate()
                    fastavro.schemaless_writer(buffer, parsed, record)

            total = best(lambda: product.publish(PORT, records), repeat)
            checking = best(check_only, repeat)
            encoding = best(encode_only, repeat)
            kafka = max(total - checking - encoding, 0.0)
            print(f"{size:>7} {size / total:>10,.0f} {checking / total:>8.0%} {encoding / total:>7.0%} {kafka / total:>6.0%}")


if __name__ == "__main__":
    main()
