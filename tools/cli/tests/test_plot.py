"""`convkit plot` on a bench CSV writes two non-empty PNG charts (fails without matplotlib).
usage: test_plot.py CONVKIT WORKDIR CSV"""
import os
import sys

from cli_test import check, fresh_dir, is_png, run


def main(tool, workdir, csv_path):
    out_dir = fresh_dir(os.path.join(workdir, "plots"))
    run(tool, "plot", csv_path, "--out-dir", out_dir)
    for name in ("gflops.png", "time_vs_memory.png"):
        path = os.path.join(out_dir, name)
        check(os.path.exists(path) and is_png(path), "%s is missing or not a PNG" % path)
    print("plot: wrote gflops.png and time_vs_memory.png")


if __name__ == "__main__":
    main(*sys.argv[1:])
