"""datacompy's reading of two outputs, in the shape `mesh parity --format json` reports.

    python datacompy_runner.py '{"central": FILE, "domain": FILE, "key": [COL...], "sampleRate": R,
                                 "abs": {COL: X}, "rel": {COL: Y}}'

Prints JSON: rows (compared, missingInDomain, missingInCentral), mismatches per column, duplicate
keys per side, and the seconds reading the files and datacompy's Compare took. Where mesh parity defines a case that
datacompy leaves to its caller, the caller's part is done here the same way, before Compare:
- sampling: the rows whose key text's md5 starts with 8 hex digits below rate x 2^32 (keys are
  integers or text here, whose text is the same in Python and DuckDB);
- NULL keys and duplicate keys: mesh parity compares neither (datacompy would pair NULL keys
  with each other and duplicates by their order in the file), so their rows are dropped first;
- timestamps: datacompy compares two datetime columns by their text (astype(str)), whose digits
  pandas picks for the whole column (.720 in a column of whole milliseconds, .720000 in one
  with microseconds), so equal instants at two precisions count as unequal; mesh parity
  compares the instants, so the runner gives datacompy each timestamp as its number of the
  finer unit since the epoch (exact in a float64 for milli- and microseconds);
- the reference of a relative tolerance: numpy.isclose(a, b) scales by |b|, and mesh parity by
  the central value, so the central frame is datacompy's df2.
"""
import hashlib
import json
import sys
import time

import datacompy
import pandas as pd


UNITS = ["s", "ms", "us", "ns"]


def read(file):
    if file.endswith(".parquet"):
        return pd.read_parquet(file)
    if file.endswith(".csv"):
        return pd.read_csv(file)
    return pd.read_json(file, lines=True)


def sample(frame, key, rate):
    if rate >= 1:
        return frame
    limit = int(rate * 2**32)
    text = frame[key].astype(str).agg("\x1f".join, axis=1)
    return frame[text.map(lambda t: int(hashlib.md5(t.encode()).hexdigest()[:8], 16) < limit)]


def main():
    args = json.loads(sys.argv[1])
    key = args["key"]
    started = time.perf_counter()
    frames = {}
    duplicates = {}
    dup_keys = []
    for side in ("central", "domain"):
        frame = sample(read(args[side]), key, args.get("sampleRate", 1))
        frame = frame.dropna(subset=key)
        counts = frame.groupby(key).size()
        dups = counts[counts > 1]
        duplicates[side] = {"duplicateKeys": int(len(dups)), "duplicateRows": int(dups.sum())}
        dup_keys.append(dups.reset_index()[key])
        frames[side] = frame
    dropped = pd.concat(dup_keys).drop_duplicates()
    for side, frame in frames.items():
        if len(dropped):
            marker = frame.merge(dropped, on=key, how="left", indicator=True)["_merge"].to_numpy()
            frame = frame[marker == "left_only"]
        frames[side] = frame.reset_index(drop=True)

    central, domain = frames["central"], frames["domain"]
    for column in central.columns.intersection(domain.columns):
        types = (central[column].dtype, domain[column].dtype)
        if all(pd.api.types.is_datetime64_any_dtype(t) for t in types):
            unit = max((str(t).split("[")[1].rstrip("]").split(",")[0] for t in types), key=UNITS.index)
            for frame in (central, domain):
                instants = frame[column].astype(f"datetime64[{unit}]")
                frame[column] = instants.astype("int64").astype("float64").where(instants.notna())

    read_seconds = time.perf_counter() - started
    start = time.perf_counter()
    compare = datacompy.PandasCompare(
        frames["domain"], frames["central"], join_columns=key,
        abs_tol={"default": 0.0, **args.get("abs", {})}, rel_tol={"default": 0.0, **args.get("rel", {})},
        df1_name="domain", df2_name="central", cast_column_names_lower=False,
    )
    seconds = time.perf_counter() - start
    columns = {s["column"]: int(s["unequal_cnt"]) for s in compare.column_stats if s["column"] not in key}
    print(json.dumps({
        "rows": {"compared": len(compare.intersect_rows), "missingInDomain": len(compare.df2_unq_rows), "missingInCentral": len(compare.df1_unq_rows)},
        "columns": columns,
        "duplicates": duplicates,
        "readSeconds": read_seconds,
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
