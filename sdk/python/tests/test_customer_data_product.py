"""The README's CustomerDataProduct, run as it stands in the README, on the real broker."""

import os
import re

import pytest

from data_mesh_sdk import LocalEmitter, LocalSchemaRegistry, RecordsRejected


@pytest.fixture(scope="module")
def example():
    with open(os.path.join(os.path.dirname(__file__), "..", "README.md"), encoding="utf-8") as f:
        code = re.search(r"## Example.*?```python\n(.*?)```", f.read(), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def test_the_readme_example_publishes_and_rejects(example, broker, repo_root):
    CustomerDataProduct, CustomerProfile = example["CustomerDataProduct"], example["CustomerProfile"]
    emitter = LocalEmitter()
    product = CustomerDataProduct(root=repo_root, kafka={"bootstrap.servers": broker.bootstrap}, registry=LocalSchemaRegistry(), emitter=emitter)
    try:
        good = CustomerProfile("cust-1", "gold", 120.0, "2026-12-06T08:00:00+00:00", "example.com", 2, 0)
        result = product.publish([good])
        assert result.published == 1 and result.topic == "customer-domain.customer-360.v2"
        with pytest.raises(RecordsRejected, match=r"field payload.tier: tier IN"):
            product.publish([CustomerProfile("cust-2", "diamond", 1.0, "2026-12-06T08:00:00+00:00", None, 0, 0)])
        assert [e["detail"]["rowCounts"]["published"] for e in emitter.events] == [1]
    finally:
        product.close()
