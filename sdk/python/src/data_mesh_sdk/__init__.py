"""data-mesh-sdk: publish to a data product's output ports by its contract."""

from .contract import Contract, OutputPort, load_bundle, load_contract
from .errors import ContractError, DataMeshError, EmitError, PublishError, RecordProblem, RecordsRejected, UnknownPortError
from .events import DETAIL_TYPE, SOURCE, EventBridgeEmitter, LocalEmitter
from .product import DataProduct, PublishResult
from .registry import GlueSchemaRegistry, LocalSchemaRegistry, confluent_header, glue_header

__all__ = [
    "Contract", "OutputPort", "load_bundle", "load_contract",
    "ContractError", "DataMeshError", "EmitError", "PublishError", "RecordProblem", "RecordsRejected", "UnknownPortError",
    "DETAIL_TYPE", "SOURCE", "EventBridgeEmitter", "LocalEmitter",
    "DataProduct", "PublishResult",
    "GlueSchemaRegistry", "LocalSchemaRegistry", "confluent_header", "glue_header",
]
