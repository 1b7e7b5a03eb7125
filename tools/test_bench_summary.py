#!/usr/bin/env python3
"""Checks tools/bench_summary.py on a small made-up CSV: the summary's ratios,
the scaling figure of a run without peers, and the README table."""
import atexit
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_summary  # noqa: E402

HEADER = 'layer,class,shape,kernel,isa,threads,median_ms,min_ms,gflops,pct_peak,x_onednn,status\n'
SHAPE = 'N1_C64_H56_W56_M64_k3x3_s1x1_p1.1.1.1_d1x1_g1'  # 231 MFLOP


def row(layer, kernel, ms, threads=1, cls='3x3'):
    gflops = 231.2 / ms  # MFLOP / ms = GFLOP/s
    return f'{layer},{cls},{SHAPE},{kernel},avx512,{threads},{ms},{ms},{gflops:.2f},80,1,ok\n'


def write(rows):
    f = tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False)
    f.write(HEADER + ''.join(rows))
    f.close()
    atexit.register(os.remove, f.name)
    return f.name


class BenchSummaryTest(unittest.TestCase):
    def test_ratios_against_onednn(self):
        path = write([row('a', 'direct', 2.0), row('a', 'direct_rows', 1.0), row('a', 'onednn_any', 0.8),
                      row('a', 'onednn_nchw', 1.2), row('a', 'auto@0:direct', 2.0),
                      row('a', 'auto@unlimited:direct_rows', 1.0)])
        lines = bench_summary.summarize(bench_summary.load(path))
        self.assertIn('best convkit kernel vs oneDNN blocked: geomean 0.800x', lines[1])
        self.assertIn('oneDNN NCHW (reorders timed): geomean 1.200x', lines[2])
        self.assertIn('direct alone vs oneDNN blocked: geomean 0.400x', lines[3])
        self.assertIn('zero-memory direct kernels (direct, direct_rows, direct_dw: fastest per layer) vs '
                      'oneDNN blocked: geomean 0.800x', lines[4])
        self.assertIn('auto@0 vs auto@unlimited: 2.000x slower', lines[-1])

    def test_scaling_without_peers(self):
        one = write([row('a', 'direct', 2.0), row('b', 'direct', 4.0)])
        two = write([row('a', 'direct', 1.0, threads=2), row('b', 'direct', 2.5, threads=2)])
        self.assertEqual(bench_summary.summarize(bench_summary.load(one)), ['layers with oneDNN beside them: 0'])
        lines = bench_summary.scaling(bench_summary.load(one), bench_summary.load(two))
        self.assertIn('geomean 1.79x, range 1.60-2.00x', lines[0])  # sqrt(2 * 1.6)
        self.assertIn('at >= 1.85x: 1', lines[0])

    def test_table_names_a_changed_choice_once(self):
        path = write([row('a', 'direct', 2.0), row('a', 'direct_padded', 1.0), row('a', 'onednn_any', 0.8),
                      row('a', 'auto@0:direct', 2.0), row('a', 'auto@mec:direct_padded', 1.0),
                      row('a', 'auto@unlimited:direct_padded', 1.1)])
        table = bench_summary.table(bench_summary.load(path), 'a,missing')
        self.assertEqual(len(table), 3)  # header, rule, one layer
        self.assertEqual(table[2], '| a | 115.6 | direct_padded 231.2 | 289.0 | - | direct 2 / direct_padded 1 / 1.1 ms |')


if __name__ == '__main__':
    unittest.main()
