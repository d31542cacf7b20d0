"""What the SDK raises. Every error says what went wrong and where (file and line, field and rule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


class DataMeshError(Exception):
    """Base of the SDK's errors."""


@dataclass(frozen=True)
class ContractProblem:
    line: Optional[int]
    column: Optional[int]
    message: str


class ContractError(DataMeshError):
    """The contract cannot be published by (missing, does not parse, refers to what is not there)."""

    def __init__(self, file: str, problems: list) -> None:
        self.file = file
        self.problems = list(problems)
        where = lambda p: f"{file}:{p.line}" + (f":{p.column}" if p.column else "") if p.line else file  # noqa: E731
        super().__init__("\n".join(f"{where(p)}: {p.message}" for p in self.problems) + "\n(run `mesh validate` for every finding)")


class UnknownPortError(DataMeshError):
    """The product has no output port of that name."""


@dataclass(frozen=True)
class RecordProblem:
    """Why one record of a batch is rejected: its index, the field, the rule (or "avro schema")."""
    index: int
    field: Optional[str]
    rule: str
    message: str

    def __str__(self) -> str:
        return f"record {self.index}: field {self.field or '(record)'}: {self.rule}: {self.message}"


class RecordsRejected(DataMeshError):
    """Records of a batch broke the port's schema or its error-severity rules: nothing was published."""

    def __init__(self, port: str, problems: list, total: int) -> None:
        self.port = port
        self.problems = list(problems)
        shown = "\n  ".join(str(p) for p in self.problems[:10])
        more = f"\n  ... and {len(self.problems) - 10} more" if len(self.problems) > 10 else ""
        super().__init__(f"{len({p.index for p in self.problems})} of {total} records rejected for port {port}; nothing was published:\n  {shown}{more}")


class PublishError(DataMeshError):
    """The broker did not take the batch (down, unreachable, refused): the batch was aborted, nothing of it is visible."""


class EmitError(DataMeshError):
    """The Pipeline Run Succeeded event was not accepted."""
