import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from kafka_broker import REPO, BrokerUnavailable, KafkaBroker  # noqa: E402


@pytest.fixture(scope="session")
def repo_root() -> str:
    return REPO


@pytest.fixture(scope="session")
def broker():
    """A real KRaft broker for the session; on CI a missing Kafka/Java fails, elsewhere it skips."""
    try:
        instance = KafkaBroker()
    except BrokerUnavailable as missing:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"SKIPPED: {missing}")
    try:
        yield instance.start()
    finally:
        instance.stop()
