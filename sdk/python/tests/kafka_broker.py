"""One Apache Kafka KRaft broker (combined broker + controller) on 127.0.0.1 for the tests:
the jars scripts/setup-kafka.sh fetched, a temp log dir, free ports; stopped by killing its
process group, always."""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SETUP = os.path.join(REPO, "scripts", "setup-kafka.sh")


class BrokerUnavailable(Exception):
    """Kafka or Java is not installed here; the message says how to install them."""


def pinned_version() -> str:
    with open(SETUP, encoding="utf-8") as f:
        return re.search(r"^KAFKA_VERSION=(\S+)$", f.read(), re.M).group(1)


def kafka_libs() -> str:
    libs = os.path.join(REPO, ".tools", f"kafka-{pinned_version()}", "libs")
    if not os.path.isdir(libs) or shutil.which("java") is None:
        raise BrokerUnavailable(f"Kafka {pinned_version()} or Java is missing: run scripts/setup-kafka.sh")
    return libs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KafkaBroker:
    def __init__(self) -> None:
        self.libs = kafka_libs()
        self.dir = tempfile.mkdtemp(prefix="data-mesh-kafka-")
        self.port = free_port()
        self.controller_port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.process = None
        self.log_path = os.path.join(self.dir, "broker.log")

    def _java(self, main: str, *args: str) -> list:
        return ["java", "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                f"-Dlog4j2.configurationFile={os.path.join(self.dir, 'log4j2.properties')}", "-cp", os.path.join(self.libs, "*"), main, *args]

    def start(self, timeout_s: float = 60) -> "KafkaBroker":
        config = os.path.join(self.dir, "server.properties")
        with open(config, "w", encoding="utf-8") as f:
            f.write("\n".join([
                "process.roles=broker,controller", "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                f"log.dirs={os.path.join(self.dir, 'data')}",
                "num.partitions=1", "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1", "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", "",
            ]))
        with open(os.path.join(self.dir, "log4j2.properties"), "w", encoding="utf-8") as f:
            f.write("appender.out.type=Console\nappender.out.name=OUT\nappender.out.layout.type=PatternLayout\n"
                    "appender.out.layout.pattern=[%d] %p %m (%c)%n\nrootLogger.level=INFO\nrootLogger.appenderRef.out.ref=OUT\n"
                    "logger.kafka.name=org.apache.kafka\nlogger.kafka.level=WARN\n")
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        formatted = subprocess.run(self._java("kafka.tools.StorageTool", "format", f"--cluster-id={cluster_id}", "--config", config),
                                   capture_output=True, text=True, timeout=120)
        if formatted.returncode != 0:
            raise RuntimeError(f"kafka-storage format failed:\n{formatted.stdout}\n{formatted.stderr}")
        log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(self._java("kafka.Kafka", config), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the broker exited with {self.process.returncode}:\n{self.log_tail()}")
            if "Kafka Server started" in self.log_tail(1_000_000):
                return self
            time.sleep(0.25)
        raise RuntimeError(f"the broker did not start within {timeout_s}s:\n{self.log_tail()}")

    def log_tail(self, size: int = 4000) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
