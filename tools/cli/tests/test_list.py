"""`convkit list` shows a row for every kernel and ISA the library reports.
usage: test_list.py CONVKIT WORKDIR PRINT_KERNELS"""
import subprocess
import sys

from cli_test import check, run


def main(tool, _workdir, print_kernels):
    truth = subprocess.run([print_kernels], capture_output=True, text=True, check=True).stdout.split("\n")
    kernels = [tuple(line.split()) for line in truth if line]
    out, _ = run(tool, "list")
    rows = [line.split() for line in out.splitlines()]
    listed = {(r[0], r[2]) for r in rows if len(r) > 4}
    check(kernels, "the library reports no kernels")
    for name, isa in kernels:
        check((name, isa) in listed, "`convkit list` lacks kernel %s (%s):\n%s" % (name, isa, out))
    check("%d kernels" % len(kernels) in out, "`convkit list` miscounts the kernels:\n" + out)
    direct = [r for r in rows if r and r[0] == "direct"]
    check(direct and direct[0][3] in ("yes", "no") and direct[0][4] == "0",
          "the direct row lacks 'runs here' or its formula 0: %s" % direct)
    check("N*C*KW*Hr*Wo'" in out, "mec_b's formula is missing:\n" + out)
    run(tool, "list", "--help")
    print("list: %d kernels listed" % len(kernels))


if __name__ == "__main__":
    main(*sys.argv[1:])
