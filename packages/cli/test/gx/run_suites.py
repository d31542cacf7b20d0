"""Runs exported GX suites with Great Expectations' pandas engine, for the agreement test.

Reads a manifest (JSON, argv[1]): cases of a data file, its format, the Avro-derived type of
each column, and the rules with the GX expectations `mesh quality export --format gx` made of
them. Types the file the way `mesh quality` does: a value that does not convert to its
column's type is missing (NULL); NaN is missing; timestamps are instants in UTC. Prints, as
JSON, per case the verdict of each rule: every one of its expectations succeeded.
"""
import csv
import json
import math
import sys

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


def read_rows(path, fmt):
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows = [{k: (v if v != "" else None) for k, v in r.items()} for r in reader]
            # a header-only file still has its columns
            return pd.DataFrame(rows, columns=reader.fieldnames or [], dtype=object)
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        return pd.DataFrame(rows, dtype=object)
    if fmt == "parquet":
        return pd.read_parquet(path).astype(object)
    raise ValueError(f"unknown format {fmt}")


def to_number(value):
    if value is None or isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def to_integer(value):
    number = to_number(value)
    return number if math.isfinite(number) and number == round(number) else math.nan


def to_boolean(value):
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    word = str(value).strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def typed(frame, columns):
    out = pd.DataFrame(index=frame.index)
    for name, kind in columns.items():
        if name not in frame.columns:
            continue
        raw = frame[name].where(frame[name].notna(), None)
        if kind in ("int", "long"):
            out[name] = pd.Series([to_integer(v) for v in raw], index=frame.index, dtype="float64")
        elif kind in ("float", "double", "decimal"):
            out[name] = pd.Series([to_number(v) for v in raw], index=frame.index, dtype="float64")
        elif kind == "timestamp":
            out[name] = pd.to_datetime(raw.map(lambda v: None if v is None else str(v)), utc=True, errors="coerce", format="ISO8601")
        elif kind == "boolean":
            out[name] = pd.Series([to_boolean(v) for v in raw], index=frame.index, dtype=object)
        else:
            out[name] = pd.Series([None if v is None else str(v) for v in raw], index=frame.index, dtype=object)
    return out


def expectation_class(type_name):
    class_name = "".join(part.capitalize() for part in type_name.split("_"))
    cls = getattr(gxe, class_name, None)
    if cls is None:
        raise SystemExit(f"GX {gx.__version__} has no expectation {type_name} ({class_name})")
    return cls


def main():
    manifest = json.load(open(sys.argv[1], encoding="utf-8"))
    context = gx.get_context(mode="ephemeral")
    batch_definition = (
        context.data_sources.add_pandas("mesh").add_dataframe_asset("data").add_batch_definition_whole_dataframe("whole")
    )
    verdicts = {}
    for case in manifest["cases"]:
        frame = typed(read_rows(case["file"], case["format"]), case["columns"])
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        results = []
        for rule in case["rules"]:
            observed = []
            for e in rule["expectations"]:
                result = batch.validate(expectation_class(e["type"])(**e["kwargs"]))
                observed.append({"type": e["type"], "success": bool(result.success), "observed": str(result.result.get("observed_value", result.result.get("unexpected_count")))})
            results.append({"passed": all(o["success"] for o in observed), "expectations": observed})
        verdicts[case["id"]] = results
    json.dump({"gx": gx.__version__, "verdicts": verdicts}, sys.stdout)


if __name__ == "__main__":
    main()
