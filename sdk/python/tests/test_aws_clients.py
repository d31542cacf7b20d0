"""The production registry and emitter against botocore's Stubber: real boto3 clients building
real requests (AWS itself cannot run here); the stub checks each request's parameters."""

import json

import boto3
import pytest
from botocore.stub import Stubber

from data_mesh_sdk import DataMeshError, EmitError, EventBridgeEmitter, GlueSchemaRegistry, glue_header

SCHEMA = {"type": "record", "name": "A", "fields": [{"name": "x", "type": "string"}]}
VERSION = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"


def client(service: str):
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")


def test_eventbridge_emitter_puts_the_event_and_raises_on_a_refused_entry():
    events = client("events")
    entry = {"Source": "data-mesh.pipeline", "DetailType": "Pipeline Run Succeeded", "Detail": json.dumps({"port": "p"}), "EventBusName": "default"}
    with Stubber(events) as stub:
        stub.add_response("put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "1"}]}, {"Entries": [entry]})
        stub.add_response("put_events", {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}]}, {"Entries": [entry]})
        emitter = EventBridgeEmitter(events)
        emitter.emit("data-mesh.pipeline", "Pipeline Run Succeeded", {"port": "p"})
        with pytest.raises(EmitError, match="ThrottlingException: slow down"):
            emitter.emit("data-mesh.pipeline", "Pipeline Run Succeeded", {"port": "p"})
        stub.assert_no_pending_responses()


def test_glue_registry_finds_the_deployed_version_and_refuses_an_undeployed_schema():
    glue = client("glue")
    schema_id = {"RegistryName": "customer-domain", "SchemaName": "customer_profile_v2"}
    with Stubber(glue) as stub:
        stub.add_response("get_schema_by_definition", {"SchemaVersionId": VERSION}, {"SchemaId": schema_id, "SchemaDefinition": json.dumps(SCHEMA)})
        stub.add_client_error("get_schema_by_definition", "EntityNotFoundException", "no such version")
        registry = GlueSchemaRegistry(glue)
        assert registry.header("customer-domain", "customer_profile_v2", SCHEMA, "BACKWARD_TRANSITIVE") == glue_header(VERSION)
        assert registry.header("customer-domain", "customer_profile_v2", SCHEMA, "BACKWARD_TRANSITIVE") == glue_header(VERSION)  # cached
        with pytest.raises(DataMeshError, match="deploy the contract first"):
            registry.header("customer-domain", "customer_profile_v2", {**SCHEMA, "name": "B"}, "BACKWARD_TRANSITIVE")
        stub.assert_no_pending_responses()
