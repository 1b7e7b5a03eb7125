"""Bad usage of `convkit` exits 2 with a message naming the problem; help exits 0.
usage: test_usage.py CONVKIT WORKDIR"""
import sys

from cli_test import check, run

BAD = [
    ([], "usage: convkit"),
    (["frobnicate"], "unknown subcommand 'frobnicate'"),
    (["list", "--verbose"], "unknown option '--verbose'"),
    (["run"], "give exactly one of --input FILE and --synthetic"),
    (["run", "--synthetic", "stripes"], "expected step or checker"),
    (["run", "--synthetic", "step", "--filters", "blur"], "expected sobel, gaussian, laplacian or random"),
    (["run", "--synthetic", "step", "--pad", "full"], "expected same or valid"),
    (["run", "--synthetic", "step", "--threads", "0"], "--threads='0' must be an integer >= 1"),
    (["run", "--synthetic", "step", "--kernel", "nope"], "nope"),
    (["run", "--synthetic", "step", "--size", "12"], "expected WIDTHxHEIGHT"),
    (["bench", "--reps", "zero"], "--reps='zero' must be an integer >= 1"),
    (["bench", "--kernels", "nope"], "unknown kernel 'nope'"),
    (["plot"], "no bench CSV given"),
    (["plot", "/nonexistent.csv"], "is not a file"),
    (["explain"], "no shape given"),
    (["explain", "1,2,3"], "expected N,C,H,W,M,K"),
    (["explain", "mb1ic64ih56oc64kh3zz4"], "unknown or unsupported key 'zz'"),
    (["explain", "1,64,56,56,64,3,1,1,1,3"], "groups=3 does not divide C=64"),
    (["explain", "--budget", "lots", "1,64,56,56,64,3"], "must be a byte count"),
    (["explain", "mb1ic64ih56oc64oh56kh3ph1", "--threads", "2000"], "threads=2000 must be in [1, 1024]"),
]


def main(tool, _workdir):
    for args, message in BAD:
        _, err = run(tool, *args, expect_rc=2)
        check(message in err, "`convkit %s`: stderr lacks %r:\n%s" % (" ".join(args), message, err))
    out, _ = run(tool, "--help")
    for sub in ("list", "bench", "run", "plot", "explain"):
        check(sub in out, "`convkit --help` lacks %s" % sub)
        run(tool, sub, "--help")
    print("usage: %d bad invocations exit 2 with their message" % len(BAD))


if __name__ == "__main__":
    main(*sys.argv[1:])
