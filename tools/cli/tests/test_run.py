"""`convkit run --synthetic step --filters sobel` writes two PNGs whose Sobel-x shows the step.
usage: test_run.py CONVKIT WORKDIR CHECK_SOBEL"""
import os
import subprocess
import sys

from cli_test import check, fresh_dir, is_png, run


def main(tool, workdir, check_sobel):
    out_dir = fresh_dir(os.path.join(workdir, "sobel"))
    out, _ = run(tool, "run", "--synthetic", "step", "--size", "40x24", "--filters", "sobel",
                 "--kernel", "direct", "--out-dir", out_dir, "--reps", "1")
    pngs = sorted(os.listdir(out_dir))
    check(pngs == ["sobel_x.png", "sobel_y.png"], "wrote %s" % pngs)
    check(all(is_png(os.path.join(out_dir, p)) for p in pngs), "not PNG files: %s" % pngs)
    for word in ("time:", "extra memory:", "kernel: direct"):
        check(word in out, "the report lacks %r:\n%s" % (word, out))
    checked = subprocess.run([check_sobel, *(os.path.join(out_dir, p) for p in pngs)])
    check(checked.returncode == 0, "the Sobel output is wrong (see above)")

    grid_dir = fresh_dir(os.path.join(workdir, "random"))
    run(tool, "run", "--synthetic", "checker", "--filters", "random", "--channels", "5",
        "--stride", "2", "--pad", "valid", "--grid", "--out-dir", grid_dir, "--reps", "1")
    files = sorted(os.listdir(grid_dir))
    check(files == ["grid.png"] + ["random_%02d.png" % i for i in range(5)], "wrote %s" % files)
    print("run: sobel maps checked; random bank wrote %d files" % len(files))


if __name__ == "__main__":
    main(*sys.argv[1:])
