#!/usr/bin/env python3
"""Summarizes convkit_bench CSVs against issue 5's targets.

    tools/bench_summary.py BENCH.csv [--threads2 BENCH_2THREADS.csv] [--table LAYERS]

All ratios are per layer, within one run (same process, interleaved), then
geometric means over the layers:
  - best convkit kernel per layer (fastest named kernel, not auto@) vs
    oneDNN with its blocked layouts (onednn_any) and vs oneDNN on NCHW with
    the reorders timed (onednn_nchw); the lowest layer;
  - direct alone vs onednn_any, and the zero-memory direct kernels (the
    fastest of direct, direct_rows and direct_dw per layer: `direct` is no
    depthwise kernel, 0.02-0.04x there); depthwise layers (best kernel) vs
    onednn_any;
  - % of the FMA peak measured in the same run, on 3x3 and 1x1 layers with
    C, M >= 64 (best kernel);
  - the runtime's choice under budgets: auto@0 and auto@mec vs auto@unlimited;
  - with --threads2: the best kernel's 2-thread speed over its 1-thread speed
    on layers above 100 MFLOP (the kernel fastest at 2 threads; 1-thread time
    of the same kernel from the first CSV).
A ratio above 1 means convkit is faster. --table prints the README's
benchmark table (markdown) for the comma-separated LAYERS ('readme': the
README's twelve) from the first CSV.
"""
import argparse
import csv
import math
import re
from collections import defaultdict

PEERS = ('onednn_any', 'onednn_nchw')
ZERO_MEMORY_DIRECT = ('direct', 'direct_rows', 'direct_dw')


def geomean(values):
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float('nan')


def shape_of(text):
    """C, M, KH, KW, groups and FLOPs of a bench 'shape' field."""
    f = dict(re.findall(r'([A-Z])(\d+)', text.split('_k')[0]))
    kh, kw = map(int, re.search(r'_k(\d+)x(\d+)', text).groups())
    groups = int(re.search(r'_g(\d+)', text).group(1))
    return {k: int(v) for k, v in f.items()} | {'KH': kh, 'KW': kw, 'groups': groups}


def load(path):
    layers = defaultdict(dict)  # layer -> kernel -> row
    with open(path) as f:
        for row in csv.DictReader(line for line in f if not line.startswith('#')):
            if row.get('status', 'ok') != 'ok':
                continue
            row['ms'] = float(row['median_ms'])
            layers[row['layer']][row['kernel']] = row
    return layers


def convkit_kernels(rows):
    return {k: r for k, r in rows.items() if k not in PEERS and not k.startswith('auto')}


def best(rows):
    kernels = convkit_kernels(rows)
    name = min(kernels, key=lambda k: kernels[k]['ms'])
    return name, kernels[name]


def auto_row(rows, budget):
    for k, r in rows.items():
        if k.startswith(f'auto@{budget}:'):
            return r
    return None


def summarize(layers):
    out = []
    ratio_any, ratio_nchw, direct, zero_memory, depthwise, peak = {}, {}, [], [], [], []
    for layer, rows in layers.items():
        if 'onednn_any' not in rows:
            continue
        name, b = best(rows)
        ratio_any[layer] = rows['onednn_any']['ms'] / b['ms']
        if 'onednn_nchw' in rows:
            ratio_nchw[layer] = rows['onednn_nchw']['ms'] / b['ms']
        if 'direct' in rows:
            direct.append(rows['onednn_any']['ms'] / rows['direct']['ms'])
        zero = [rows[k]['ms'] for k in ZERO_MEMORY_DIRECT if k in rows]
        if zero:
            zero_memory.append(rows['onednn_any']['ms'] / min(zero))
        if b['class'].startswith('depthwise'):
            depthwise.append((layer, ratio_any[layer], name))
        s = shape_of(b['shape'])
        dense = s['groups'] == 1 and s['C'] >= 64 and s['M'] >= 64
        if dense and (s['KH'], s['KW']) in ((1, 1), (3, 3)):
            peak.append((layer, float(b['pct_peak']), name))
    out.append(f'layers with oneDNN beside them: {len(ratio_any)}')
    if not ratio_any:  # a run with --peers none: only the scaling figure applies
        return out
    lowest = min(ratio_any, key=ratio_any.get)
    out.append(f'best convkit kernel vs oneDNN blocked: geomean {geomean(ratio_any.values()):.3f}x '
               f'(target >= 1.10); lowest {ratio_any[lowest]:.3f}x on {lowest} (target >= 0.8); '
               f'layers >= 0.8x: {sum(v >= 0.8 for v in ratio_any.values())}')
    out.append(f'best convkit kernel vs oneDNN NCHW (reorders timed): geomean '
               f'{geomean(ratio_nchw.values()):.3f}x')
    out.append(f'direct alone vs oneDNN blocked: geomean {geomean(direct):.3f}x (target >= 1.0)')
    if zero_memory:
        out.append(f'zero-memory direct kernels ({", ".join(ZERO_MEMORY_DIRECT)}: fastest per layer) vs '
                   f'oneDNN blocked: geomean {geomean(zero_memory):.3f}x')
    if depthwise:
        out.append(f'depthwise vs oneDNN blocked: geomean {geomean(r for _, r, _ in depthwise):.3f}x '
                   f'(target >= 1.0): ' + ', '.join(f'{l} {r:.3f}x ({k})' for l, r, k in depthwise))
    if peak:
        pcts = [p for _, p, _ in peak]
        out.append(f'3x3/1x1 layers with C,M >= 64 ({len(peak)}): best kernel at {min(pcts):.0f}-'
                   f'{max(pcts):.0f}% of the measured FMA peak, median {sorted(pcts)[len(pcts) // 2]:.0f}% '
                   f'(target >= 90%); at >= 90%: {sum(p >= 90 for p in pcts)}')
    for budget in ('0', 'mec'):
        pairs = [(auto_row(r, budget), auto_row(r, 'unlimited')) for r in layers.values()]
        pairs = [(a, u) for a, u in pairs if a and u]
        if pairs:
            out.append(f'auto@{budget} vs auto@unlimited: {geomean(a["ms"] / u["ms"] for a, u in pairs):.3f}x '
                       f'slower (geomean, {len(pairs)} layers)')
    return out


def scaling(one, two):
    out, speedups = [], []
    for layer, rows2 in two.items():
        kernels2 = convkit_kernels(rows2)
        if not kernels2 or layer not in one:
            continue
        name, b2 = min(kernels2.items(), key=lambda kv: kv[1]['ms'])
        mflop = float(b2['gflops']) * b2['ms']  # GFLOP/s x ms = MFLOP
        if mflop <= 100 or name not in one[layer]:
            continue
        speedups.append((layer, one[layer][name]['ms'] / b2['ms'], name))
    if speedups:
        values = [s for _, s, _ in speedups]
        out.append(f'2 threads vs 1 on {len(speedups)} layers > 100 MFLOP (best 2-thread kernel): '
                   f'geomean {geomean(values):.2f}x, range {min(values):.2f}-{max(values):.2f}x '
                   f'(target >= 1.85x); at >= 1.85x: {sum(v >= 1.85 for v in values)}')
    return out


README_LAYERS = ('r50_l1_3x3_64,r50_l3_1x1_1024to256,r50_l3_3x3_256,r50_l4_3x3_512,vgg_conv1_2,vgg_conv3_2,'
                 'alex_conv1_11x11s4,alex_conv3_3x3,mbv2_conv0_3x3s2_c3,mbv2_b2_expand_1x1_24to144,'
                 'mbv2_b2_dw3x3_144,mbv2_b16_dw3x3_960_7x7')


def table(layers, names):
    """Markdown rows: GFLOP/s of direct, the best kernel and oneDNN; the runtime's choices in ms."""
    out = ['| layer | direct | best convkit kernel | oneDNN (blocked) | oneDNN (NCHW + reorders) | '
           'auto@0 / auto@mec / auto@unlimited |', '|---|---|---|---|---|---|']
    gflops = lambda rows, k: f"{float(rows[k]['gflops']):.1f}" if k in rows else '-'
    for layer in names.split(','):
        rows = layers.get(layer)
        if not rows:
            continue
        name, b = best(rows)
        choices, previous = [], None
        for budget in ('0', 'mec', 'unlimited'):
            r = auto_row(rows, budget)
            if r is None:
                choices.append('-')
                continue
            kernel = r['kernel'].split(':', 1)[1]
            choices.append((f'{kernel} ' if kernel != previous else '') + f"{r['ms']:.3g}")
            previous = kernel
        out.append(f"| {layer} | {gflops(rows, 'direct')} | {name} {float(b['gflops']):.1f} | "
                   f"{gflops(rows, 'onednn_any')} | {gflops(rows, 'onednn_nchw')} | {' / '.join(choices)} ms |")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('csv')
    p.add_argument('--threads2', help='the same suite at --threads 2')
    p.add_argument('--table', metavar='LAYERS', help="markdown table of these layers ('readme': the README's)")
    args = p.parse_args()
    one = load(args.csv)
    if args.table:
        print('\n'.join(table(one, README_LAYERS if args.table == 'readme' else args.table)))
        return
    lines = summarize(one)
    if args.threads2:
        lines += scaling(one, load(args.threads2))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
