"""`convkit bench` on a tiny suite writes a CSV and a JSON with the expected rows and columns.
usage: test_bench.py CONVKIT WORKDIR SUITE HAVE_ONEDNN(ON|OFF)"""
import csv
import json
import os
import sys

from cli_test import check, fresh_dir, run

COLUMNS = ["layer", "class", "shape", "kernel", "isa", "threads", "median_ms", "min_ms", "gflops",
           "pct_peak", "x_onednn", "workspace_bytes", "peak_bytes", "workspace_vs_im2col",
           "allocations", "iters_per_sample", "status"]
KERNELS = ["direct", "im2col"]


def suite_layers(path):
    with open(path) as f:
        return [line.split(",")[0] for line in f if line.strip() and not line.startswith(("#", "name,"))]


def check_rows(rows, layers, kernels):
    got = [(r["layer"], r["kernel"]) for r in rows]
    want = [(layer, k) for layer in layers for k in kernels]
    check(got == want, "rows %s, expected %s" % (got, want))
    for r in rows:
        check(r["status"] == "ok", "row %s/%s status %r" % (r["layer"], r["kernel"], r["status"]))
        check(float(r["median_ms"]) > 0 and float(r["gflops"]) > 0, "row without a time: %s" % r)
        check(float(r["pct_peak"]) > 0, "row without pct_peak: %s" % r)


def check_onednn(rows):
    for r in rows:
        check(r["x_onednn"] != "", "row without x_onednn: %s" % r)
        if r["kernel"].startswith("onednn"):
            check(r["isa"] == "onednn" and r["peak_bytes"] == "", "oneDNN row: %s" % r)
        else:
            # The workspace holds the requested scratch plus 128 alignment bytes per
            # buffer and one for the block's start.
            work, peak, buffers = int(r["workspace_bytes"]), int(r["peak_bytes"]), int(r["allocations"])
            slack = 128 * (buffers + 1) if work else 0
            check(peak <= work and work - peak <= slack, "convkit row's memory: %s" % r)


def main(tool, workdir, suite, have_onednn):
    fresh_dir(workdir)
    csv_path, json_path = os.path.join(workdir, "bench.csv"), os.path.join(workdir, "bench.json")
    out, _ = run(tool, "bench", "--suite", suite, "--kernels", ",".join(KERNELS), "--reps", "2",
                 "--min-time-ms", "0", "--max-time-ms", "5", "--csv", csv_path, "--json", json_path)
    check("measured FMA peak" in out, "no measured peak at the top:\n" + out)
    with open(csv_path, newline="") as f:
        reader = csv.DictReader(f)
        check(reader.fieldnames == COLUMNS, "CSV columns %s" % reader.fieldnames)
        rows = list(reader)
    onednn = have_onednn.upper() in ("ON", "1", "TRUE", "YES")
    kernels = KERNELS + (["onednn_any", "onednn_nchw"] if onednn else [])
    check_rows(rows, suite_layers(suite), kernels)
    if onednn:
        check_onednn(rows)
    with open(json_path) as f:
        doc = json.load(f)
    check(len(doc["rows"]) == len(rows) and doc["fma_peak"][0]["gflops"] > 0, "JSON: %s" % doc)
    print("bench: %d rows, %d columns, oneDNN %s" % (len(rows), len(COLUMNS), "on" if onednn else "off"))


if __name__ == "__main__":
    main(*sys.argv[1:])
