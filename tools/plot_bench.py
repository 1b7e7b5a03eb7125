#!/usr/bin/env python3
"""Charts of a convkit bench CSV (convkit bench --csv FILE), as PNG files.

usage: plot_bench.py CSV OUT_DIR

  gflops.png          GFLOP/s per layer, one bar per kernel (grouped by layer);
                      peers (oneDNN rows, isa "onednn") are included, hatched.
  time_vs_memory.png  one panel per layer: median time vs extra memory of each
                      kernel; the Pareto front (no other kernel is both faster
                      and needs no more memory) is joined and ringed in red.

Only rows with status "ok" and a time are drawn. Needs matplotlib (Debian:
python3-matplotlib); exits 3 with a message naming the package when missing.
"""
import csv
import math
import os
import sys

MISSING_MATPLOTLIB = 3


def import_pyplot():
    try:
        import matplotlib
    except ImportError:
        sys.stderr.write("plot_bench.py: matplotlib is missing for %s: install the Debian package "
                         "python3-matplotlib (tools/bootstrap.sh does)\n" % sys.executable)
        sys.exit(MISSING_MATPLOTLIB)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def read_rows(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        columns = set(reader.fieldnames or [])
        rows = list(reader)
    needed = {"layer", "kernel", "isa", "median_ms", "gflops", "workspace_bytes", "status"}
    if not needed <= columns:
        sys.exit("plot_bench.py: %s is not a bench CSV: it lacks columns %s"
                 % (path, ", ".join(sorted(needed - columns))))
    timed = [r for r in rows if r["status"] == "ok" and r["median_ms"]]
    if not timed:
        sys.exit("plot_bench.py: %s has no timed rows (a --memory-only run?)" % path)
    return timed


def series_name(row, several_isas):
    """A kernel's legend name; with several convkit ISAs the ISA is added.
    The runtime's choices ("auto@B:kernel") are one series per budget B,
    whichever kernel it chose on each layer."""
    kernel = row["kernel"].split(":")[0]
    if row["isa"] == "onednn" or not several_isas:
        return kernel
    return "%s (%s)" % (kernel, row["isa"])


def unique(items):
    return list(dict.fromkeys(items))


def label_rows(rows):
    isas = {r["isa"] for r in rows if r["isa"] != "onednn"}
    for r in rows:
        r["series"] = series_name(r, len(isas) > 1)
        r["is_peer"] = r["isa"] == "onednn"
    return rows


def plot_gflops(plt, rows, path):
    layers = unique(r["layer"] for r in rows)
    series = unique(r["series"] for r in rows)
    value = {(r["layer"], r["series"]): float(r["gflops"]) for r in rows}
    peer = {r["series"] for r in rows if r["is_peer"]}
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(8, 0.5 * len(layers) * max(1, len(series) / 4)), 5))
    colors = plt.get_cmap("tab20").colors
    for i, name in enumerate(series):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(layers))]
        ys = [value.get((layer, name), 0) for layer in layers]
        ax.bar(xs, ys, width, label=name, color=colors[i % len(colors)],
               hatch="//" if name in peer else None, edgecolor="black" if name in peer else None,
               linewidth=0.5)
    ax.set_xticks(range(len(layers)))
    ax.set_xticklabels(layers, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("GFLOP/s (median)")
    ax.set_title("GFLOP/s per layer and kernel")
    ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def pareto_front(points):
    """Points (memory, time, ...) not dominated: sorted by memory, each faster than all before."""
    front, best = [], math.inf
    for p in sorted(points, key=lambda p: (p[0], p[1])):
        if p[1] < best:
            front.append(p)
            best = p[1]
    return front


def plot_layer_panel(ax, layer, points, color_of):
    for mem, ms, name in points:
        ax.scatter(mem, ms, s=18, color=color_of[name], zorder=2)
    front = pareto_front(points)
    ax.plot([p[0] for p in front], [p[1] for p in front], color="red", linewidth=1, zorder=1)
    ax.scatter([p[0] for p in front], [p[1] for p in front], s=60, facecolors="none",
               edgecolors="red", linewidths=1.2, zorder=3)
    ax.set_xscale("symlog", linthresh=1024)
    ax.set_yscale("log")
    ax.set_title(layer, fontsize=8)
    ax.tick_params(labelsize=6)


def plot_time_vs_memory(plt, rows, path):
    layers = unique(r["layer"] for r in rows)
    series = unique(r["series"] for r in rows)
    colors = plt.get_cmap("tab20").colors
    color_of = {name: colors[i % len(colors)] for i, name in enumerate(series)}
    cols = min(len(layers), 6)
    nrows = math.ceil(len(layers) / cols)
    legend_width = 1.8  # inches, at the right
    fig, axes = plt.subplots(nrows, cols, figsize=(3.2 * cols + legend_width, 2.8 * nrows + 0.6),
                             squeeze=False)
    for ax, layer in zip(axes.flat, layers):
        points = [(int(r["workspace_bytes"] or 0), float(r["median_ms"]), r["series"])
                  for r in rows if r["layer"] == layer]
        plot_layer_panel(ax, layer, points, color_of)
    for ax in list(axes.flat)[len(layers):]:
        ax.set_visible(False)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=color_of[n], label=n) for n in series]
    handles.append(plt.Line2D([], [], color="red", marker="o", markerfacecolor="none", label="Pareto front"))
    fig.legend(handles=handles, loc="center right", fontsize=7)
    fig.supxlabel("extra memory, bytes (symlog; 0 = none)", fontsize=8)
    fig.supylabel("median time, ms (log)", fontsize=8, x=0.002)
    fig.tight_layout(rect=(0, 0, 1 - legend_width / fig.get_figwidth(), 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: plot_bench.py CSV OUT_DIR\n")
        return 2
    plt = import_pyplot()
    rows = label_rows(read_rows(argv[1]))
    os.makedirs(argv[2], exist_ok=True)
    for name, draw in (("gflops.png", plot_gflops), ("time_vs_memory.png", plot_time_vs_memory)):
        path = os.path.join(argv[2], name)
        draw(plt, rows, path)
        print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
