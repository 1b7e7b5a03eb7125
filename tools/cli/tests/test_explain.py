"""`convkit explain` lists every kernel of the ISA with its extra bytes and verdict,
and its choice respects the budget.
usage: test_explain.py CONVKIT WORKDIR PRINT_KERNELS"""
import re
import subprocess
import sys

from cli_test import check, run

SHAPE = "1,32,28,28,32,3,1,1"


def candidates(out):
    """(kernel, extra bytes, verdict) per candidate line of the table."""
    rows = []
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+(\d+)\s+(-|[\d.]+)\s+(CHOSEN|eligible|rejected: .*)$", line.split(" [")[0])
        if m:
            rows.append((m.group(1), int(m.group(2)), m.group(4)))
    return rows


def main(tool, _workdir, print_kernels):
    truth = subprocess.run([print_kernels], capture_output=True, text=True, check=True).stdout.split("\n")
    names = {line.split()[0] for line in truth if line}
    out, _ = run(tool, "explain", SHAPE)
    rows = candidates(out)
    check({r[0] for r in rows} == names, "explain lists %s, the library has %s:\n%s" % (
        sorted(r[0] for r in rows), sorted(names), out))
    check(sum(r[2] == "CHOSEN" for r in rows) == 1, "not exactly one CHOSEN line:\n" + out)

    out, _ = run(tool, "explain", SHAPE, "--budget", "0")
    rows = candidates(out)
    chosen = [r for r in rows if r[2] == "CHOSEN"]
    check(chosen and chosen[0][1] == 0, "budget 0 chose a kernel with extra bytes:\n" + out)
    for name, extra, verdict in rows:
        if extra > 0:
            check(verdict == "rejected: needs %d bytes, over workspace_limit=0" % extra,
                  "%s needs %d bytes but is not refused for the budget:\n%s" % (name, extra, out))
    _, err = run(tool, "explain", SHAPE, "--kernel", "im2col", "--budget", "0", expect_rc=2)
    check("over workspace_limit=0" in err, "a named kernel over budget is not refused:\n" + err)
    print("explain: %d candidates, budget 0 chose %s" % (len(rows), chosen[0][0]))


if __name__ == "__main__":
    main(*sys.argv[1:])
