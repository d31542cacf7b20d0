"""Bad input: every record problem is found before anything is produced, named by record, field
and rule; unusable contracts are refused with the file and line."""

import math
import os
import shutil

import pytest

from data_mesh_sdk import ContractError, DataProduct, LocalEmitter, LocalSchemaRegistry, RecordsRejected, UnknownPortError
from envelopes import envelope

PRODUCT = "customer/customer-360"
PORT = "customer_profile_stream"
# Nothing listens here: a test that reached the broker would fail with PublishError, not the error it expects.
NO_BROKER = {"bootstrap.servers": "127.0.0.1:9"}


@pytest.fixture()
def product(repo_root):
    with DataProduct.open(PRODUCT, root=repo_root, kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter(), timeout_s=2) as opened:
        yield opened


def rejected(product, records) -> list:
    with pytest.raises(RecordsRejected) as error:
        product.publish(PORT, records)
    assert product._producer is None  # validation refused the batch before a producer existed
    assert product.emitter.events == []
    return [(p.index, p.field, p.rule) for p in error.value.problems]


def test_a_missing_field(product):
    record = envelope(1)
    del record["payload"]["tier"]
    assert rejected(product, [envelope(0), record]) == [(1, "payload.tier", "avro schema")]


def test_a_missing_field_with_a_default_is_fine_but_an_unknown_one_is_not(product):
    record = envelope(1)
    del record["payload"]["email_domain"]
    record["payload"]["emial_domain"] = "typo.example"
    assert rejected(product, [record]) == [(0, "payload.emial_domain", "avro schema")]


def test_wrong_types(product):
    cases = [envelope(0, active_subscriptions="3"), envelope(1, lifetime_value_usd="12.5"), envelope(2, active_subscriptions=2**40), envelope(3, customer_id=None)]
    assert rejected(product, cases) == [
        (0, "payload.active_subscriptions", "avro schema"), (1, "payload.lifetime_value_usd", "avro schema"),
        (2, "payload.active_subscriptions", "avro schema"), (3, "payload.customer_id", "avro schema"),
    ]


def test_nan_in_a_double_with_a_range_rule(product):
    with pytest.raises(RecordsRejected) as error:
        product.publish(PORT, [envelope(0, lifetime_value_usd=math.nan)])
    [problem] = error.value.problems
    assert (problem.field, problem.rule) == ("payload.lifetime_value_usd", "lifetime_value_usd >= 0")
    assert "NaN" in problem.message


def test_a_string_over_the_message_size_limit(product):
    [(index, field, rule)] = rejected(product, [envelope(0), envelope(1, email_domain="x" * 1_200_000)])
    assert (index, field, rule) == (1, "payload.email_domain", "message size")


def test_a_rule_that_fails_names_field_and_rule(product):
    assert rejected(product, [envelope(0, tier="diamond"), envelope(1, active_subscriptions=-1)]) == [
        (0, "payload.tier", "tier IN ('bronze', 'silver', 'gold', 'platinum')"),
        (1, "payload.active_subscriptions, payload.support_ticket_count_90d", "active_subscriptions >= 0 AND support_ticket_count_90d >= 0"),
    ]


def test_a_string_that_is_no_instant_is_a_warning_of_its_rule(product):
    _, problems, warnings = product.validate(PORT, [envelope(0, last_seen_at="yesterday")])
    assert problems == []
    assert [(w.field, w.rule) for w in warnings] == [("payload.last_seen_at", "last_seen_at > (NOW() - INTERVAL 30 DAY)")]
    assert "not an ISO-8601 instant" in warnings[0].message


def test_an_unknown_port(product):
    with pytest.raises(UnknownPortError, match='no output port "customer_profile" .*customer_profile_stream, customer_snapshot_daily'):
        product.publish("customer_profile", [envelope(0)])


def test_a_batch_port_is_not_published_to(product):
    with pytest.raises(Exception, match="batch port"):
        product.publish("customer_snapshot_daily", [])


def test_the_producer_guarantees_cannot_be_weakened(repo_root):
    with pytest.raises(ValueError, match="acks"):
        DataProduct.open(PRODUCT, root=repo_root, kafka={**NO_BROKER, "acks": "1"}, registry=LocalSchemaRegistry(), emitter=LocalEmitter())


@pytest.fixture()
def broken_repo(tmp_path, repo_root):
    """A copy of the customer domain whose customer-360 contract each test breaks."""
    shutil.copytree(os.path.join(repo_root, "domains", "customer"), tmp_path / "domains" / "customer")
    return tmp_path


def break_contract(root, old: str, new: str) -> int:
    """Replaces old by new; returns the (1-based) line it is on."""
    path = root / "domains" / "customer" / "customer-360" / "data-product.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return text[:text.index(old)].count("\n") + 1


def open_broken(root) -> ContractError:
    with pytest.raises(ContractError) as error:
        DataProduct.open(PRODUCT, root=str(root), kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter())
    return error.value


def test_a_rule_that_does_not_parse_is_reported_at_its_line(broken_repo):
    line = break_contract(broken_repo, '"lifetime_value_usd >= 0"', '"lifetime_value_usd >= "')
    error = open_broken(broken_repo)
    [problem] = error.problems
    assert problem.line == line and "does not parse" in problem.message
    assert str(error).startswith(f"domains/customer/customer-360/data-product.yaml:{line}:23: ")


def test_a_schema_that_is_not_there_and_a_topic_of_the_wrong_major(broken_repo):
    schema_line = break_contract(broken_repo, "schema-registry://customer/customer_profile_v2", "schema-registry://customer/customer_profile_v9")
    topic_line = break_contract(broken_repo, 'topic: "customer-domain.customer-360.v2"', 'topic: "customer-domain.customer-360.v1"')
    messages = [(p.line, p.message) for p in open_broken(broken_repo).problems]
    assert (topic_line, 'port customer_profile_stream: the topic "customer-domain.customer-360.v1" must end in v2 (metadata.version\'s major)') in messages
    assert any(line == schema_line and "customer_profile_v9.avsc, which does not exist" in m for line, m in messages)


def test_a_contract_that_is_not_yaml(broken_repo):
    break_contract(broken_repo, "kind: DataProduct", "kind: [DataProduct")
    [problem] = open_broken(broken_repo).problems
    assert "not YAML" in problem.message and problem.line is not None


def test_a_product_that_does_not_exist(repo_root):
    with pytest.raises(ContractError, match="cannot read the contract"):
        DataProduct.open("customer/nope", root=repo_root, kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter())
    with pytest.raises(ContractError, match="is not <domain>/<product>"):
        DataProduct.open("../etc", root=repo_root, kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter())


def test_a_bundle_round_trips_the_contract(tmp_path, repo_root):
    import json

    from data_mesh_sdk import load_bundle, load_contract
    contract = load_contract(PRODUCT, repo_root)
    bundle = tmp_path / "customer-360.bundle.json"
    bundle.write_text(json.dumps(contract.to_bundle()))
    again = load_bundle(str(bundle))
    assert again.to_bundle() == contract.to_bundle()
    with DataProduct.open(PRODUCT, bundle=str(bundle), kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter()) as product:
        assert rejected(product, [envelope(0, tier="diamond")]) == [(0, "payload.tier", "tier IN ('bronze', 'silver', 'gold', 'platinum')")]


def test_a_compression_the_platforms_consumers_cannot_read_is_refused(repo_root):
    with pytest.raises(ValueError, match="kafkajs"):
        DataProduct.open(PRODUCT, root=repo_root, kafka={**NO_BROKER, "compression.type": "lz4"}, registry=LocalSchemaRegistry(), emitter=LocalEmitter())


def test_a_references_rule_is_listed_as_skipped_with_the_reason(broken_repo):
    break_contract(broken_repo, '"lifetime_value_usd >= 0"', '"customer_id REFERENCES payments/transaction-events-v1.transaction_events.customer_id"')
    with DataProduct.open(PRODUCT, root=str(broken_repo), kafka=NO_BROKER, registry=LocalSchemaRegistry(), emitter=LocalEmitter()) as opened:
        skipped = {s.check.rule: s.reason for s in opened.skipped_rules(PORT)}
    assert "REFERENCES another product's port" in skipped["customer_id REFERENCES payments/transaction-events-v1.transaction_events.customer_id"]
