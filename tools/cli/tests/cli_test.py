"""Helpers shared by the `convkit` CLI tests (standard library only)."""
import os
import shutil
import subprocess
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(tool, *args, expect_rc=0):
    """Runs the tool; fails the test unless it exits with expect_rc. Returns (stdout, stderr)."""
    proc = subprocess.run([tool, *args], capture_output=True, text=True)
    if proc.returncode != expect_rc:
        fail("`convkit %s` exited %d, expected %d\nstdout:\n%s\nstderr:\n%s"
             % (" ".join(args), proc.returncode, expect_rc, proc.stdout, proc.stderr))
    return proc.stdout, proc.stderr


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def check(condition, message):
    if not condition:
        fail(message)


def fail(message):
    sys.stderr.write("FAIL: %s\n" % message)
    sys.exit(1)


def is_png(path):
    """A non-empty file that starts with the PNG signature."""
    with open(path, "rb") as f:
        head = f.read(len(PNG_SIGNATURE))
    return head == PNG_SIGNATURE and os.path.getsize(path) > len(PNG_SIGNATURE)
