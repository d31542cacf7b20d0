"""The GX side of bench/quality: pandas reads the Parquet file, decimals become float64 (as mesh
types them: DOUBLE; pandas' Python Decimal objects make GX's mean of one such column take 50 s
at 100,000 rows), and GX Core's pandas engine validates every expectation of the suite
`mesh quality export --format gx` wrote.
Prints one JSON line: the verdict per expectation and the seconds spent reading and validating."""
import decimal
import json
import sys
import time

started = time.perf_counter()
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import pandas as pd  # noqa: E402

imported = time.perf_counter()
suite = json.load(open(sys.argv[1], encoding="utf-8"))["suite"]
frame = pd.read_parquet(sys.argv[2])
for name in frame.columns:
    if frame[name].dtype == object and len(frame) > 0 and isinstance(frame[name].dropna().iloc[0] if frame[name].notna().any() else None, decimal.Decimal):
        frame[name] = frame[name].astype("float64")
read = time.perf_counter()
context = gx.get_context(mode="ephemeral")
batch = (
    context.data_sources.add_pandas("bench").add_dataframe_asset("data").add_batch_definition_whole_dataframe("whole")
    .get_batch(batch_parameters={"dataframe": frame})
)
verdicts = []
for e in suite["expectations"]:
    cls = getattr(gxe, "".join(part.capitalize() for part in e["type"].split("_")))
    verdicts.append(bool(batch.validate(cls(**e["kwargs"])).success))
done = time.perf_counter()
json.dump({"verdicts": verdicts, "import_s": imported - started, "read_s": read - imported, "validate_s": done - read}, sys.stdout)
