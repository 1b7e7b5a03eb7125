#!/usr/bin/env python3
"""Hot inner loops of a Halide kernel's assembly, measured with llvm-mca.
Helper of tools/mca_report.sh, which emits the assembly and the stmt.

A loop is one of LLVM's innermost loops: mostly a basic block that branches
back to its own label (the unrolled FMA tile of the reduction over input
channels); also a loop LLVM marks "This Inner Loop Header" whose blocks
branch among themselves (all its blocks are then measured one after the
other). Each loop is classified from its instructions (vector FMAs by
register width; select/blend/mask, gather and permute/insert instructions;
in-loop branches; loads and stores addressing the stack frame, i.e. spills
and reloads) and from the Halide stmt of the same module: LLVM names the
block "<N>_for_<loop>", N counting the stmt's for-loops in order. The stmt
gives the accumulator (interior: no padding selects; border: zero padding),
the input stride (the input loads' address steps) and the kernel size
(the enclosing kernel-tap loops' extents: 1x1, 3x3 or any) of the
specialization branch the loop lies in; "partitioned" marks the pieces of a
tap loop that Halide split off (".rebased").

Loops with the same body (general-purpose registers aside) form one group.
Groups rank by FMAs per iteration, then stride 1 first, interior before
border, select-free first, fewer instructions, more copies. The top loops
are the best groups of distinct (accumulator, stride); each is measured in
detail, also with its enclosing tap loop and the inner loop run once (the
cost per tap when the inner trip count is small, e.g. depthwise layers with
one channel per group). Every group gets a one-line llvm-mca summary; the
FMA pipes of each model are checked against llvm-mca with a probe of 8
independent FMAs.

  asm_loops.py list   ASM [--stmt STMT] --arch x86|aarch64
  asm_loops.py report --out FILE [--top N] [--mca llvm-mca-19] CASE...
      CASE: kernel=K,isa=I,cpu=MCPU,triple=TRIPLE,asm=FILE[,stmt=FILE]
"""
import argparse
import hashlib
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# FMA pipes per llvm-mca model, and the model's resources that are those
# pipes. Checked in each run against llvm-mca itself (probe_pipes).
FMA_PIPES = {
    'skylake-avx512': (2, {'SKXPort0', 'SKXPort5'}),   # zmm: p0 (p0+p1 fused) and p5
    ('skylake-avx512', 256): (2, {'SKXPort0', 'SKXPort1'}),  # ymm/xmm: p0 and p1
    ('skylake-avx512', 128): (2, {'SKXPort0', 'SKXPort1'}),
    'znver3': (2, {'Zn3FP0', 'Zn3FP1'}),
    'neoverse-n1': (2, {'N1UnitV0', 'N1UnitV1'}),
}

# --------------------------------------------------------------------------
# Assembly


@dataclass
class Block:
    function: str
    label: str            # "" for a fall-through block ("# %bb.N:")
    ir_name: str          # LLVM IR block name, from the label's comment
    line: int             # line of the label in the .s file
    parent: str = ''      # header label of the enclosing loop (LLVM's comments)
    in_loop: str = ''     # header label of the loop this block is in, if not a header
    inner_header: bool = False   # LLVM: "This Inner Loop Header"
    instrs: list = field(default_factory=list)   # (mnemonic, operands)


LABEL = re.compile(r'^([A-Za-z_.$][\w.$]*):')
IR_NAME = re.compile(r'%"?([^"\s]+)"?')


def parse_blocks(path, arch):
    """Splits an assembly file into basic blocks: directives and comments go,
    labels (and LLVM's "%bb.N:" comments) open blocks. LLVM's loop comments
    ("Parent Loop", "in Loop: Header=", "This Inner Loop Header") are kept."""
    comment = '#' if arch == 'x86' else '//'
    blocks, function, current = [], '', None

    def loop_notes(block, note):
        m = re.search(r'Parent Loop (BB\w+)', note)
        if m:
            block.parent = '.L' + m.group(1)      # the last one is the innermost
        m = re.search(r'in Loop: Header=(BB\w+)', note)
        if m:
            block.in_loop = '.L' + m.group(1)
        if 'This Inner Loop Header' in note:
            block.inner_header = True

    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            code, _, note = raw.partition(comment)
            code = code.strip()
            if not code:
                m = re.match(r'\s*%bb\.\d+:(.*)', note)
                if m:          # a block reached only by falling through
                    ir = IR_NAME.search(m.group(1))
                    current = Block(function, '', ir.group(1) if ir else '', lineno)
                    blocks.append(current)
                elif current is not None and not current.instrs:
                    loop_notes(current, note)
                continue
            m = LABEL.match(code)
            if m:
                name = m.group(1)
                if not name.startswith('.L'):
                    function = name
                ir = IR_NAME.search(note)
                current = Block(function, name, ir.group(1) if ir else '', lineno)
                loop_notes(current, note)
                blocks.append(current)
                continue
            if code.startswith('.') or current is None:   # directive
                continue
            mnemonic, *operands = code.split(None, 1)
            current.instrs.append((mnemonic.lower(), operands[0].strip() if operands else ''))
    return blocks


def branch_target(mnemonic, operands, arch):
    if arch == 'x86':
        return operands if mnemonic.startswith('j') else None
    if mnemonic in ('b', 'cbz', 'cbnz', 'tbz', 'tbnz') or mnemonic.startswith('b.'):
        return operands.split(',')[-1].strip()
    return None


def loop_body(blocks, start, arch):
    """Instructions from blocks[start]'s label to the first branch back to
    it, across blocks (None if there is none in the same function)."""
    label, body = blocks[start].label, []
    for b in blocks[start:]:
        if b.function != blocks[start].function:
            return None
        for mnemonic, operands in b.instrs:
            body.append((mnemonic, operands))
            if branch_target(mnemonic, operands, arch) == label:
                return body
    return None


def inner_loops(blocks, arch):
    """(header index, body, blocks in it) of LLVM's innermost loops. Mostly
    one block that branches back to its own label: the body runs from the
    label to that branch (what follows is the loop exit). Otherwise (a loop
    LLVM marks "This Inner Loop Header" whose blocks branch among themselves,
    e.g. padding selects turned into branches) the body is the header block
    and then every block "in Loop" of it, all paths one after the other."""
    for i, b in enumerate(blocks):
        if not b.label:
            continue
        body = None
        for j, (mnemonic, operands) in enumerate(b.instrs):
            if branch_target(mnemonic, operands, arch) == b.label:
                body = b.instrs[:j + 1]
                break
        if body is not None:
            yield i, body, 1
        elif b.inner_header:
            members = [x for x in blocks if x.in_loop == b.label and x.function == b.function]
            after = [x for x in members if x.line > b.line]
            before = [x for x in members if x.line < b.line]
            body = [ins for x in [b] + after + before for ins in x.instrs]
            yield i, body, 1 + len(members)


# --------------------------------------------------------------------------
# Halide stmt: the for-loops in order, with their enclosing loops and bodies


@dataclass
class StmtLoop:
    serial: int
    name: str
    extent: str
    parents: list         # enclosing StmtLoops, outermost first
    spec: tuple = None    # (condition, conditions before it) of its if-branch
    body: str = ''
    stride: str = '?'
    kernel: str = '?'     # 1x1, 3x3 (literal tap-loop extents) or any
    partitioned: bool = False    # inside a loop Halide partitioned (".rebased")


def balanced(text, open_at):
    """The text inside the bracket that opens at text[open_at]."""
    pairs, stack = {'(': ')', '[': ']'}, []
    for i in range(open_at, len(text)):
        c = text[i]
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return text[open_at + 1:i]
    return text[open_at + 1:]


def split_args(text):
    args, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        elif c == ',' and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    args.append(text[start:].strip())
    return args


def input_stride(body):
    """The input stride of an innermost loop body: the ramp stride of vector
    loads of input (or of the slices of a dense load: Halide's strided load),
    or the step between the scalars it broadcasts."""
    slices = set()
    for m in re.finditer(r'\bslice_vectors\(', body):
        args = split_args(balanced(body, m.end() - 1))
        if len(args) == 4 and args[0].startswith('input['):
            slices.add(args[2])
    if slices:
        return '/'.join(sorted(slices))
    ramps = set()
    for m in re.finditer(r'\binput\[ramp\(', body):
        args = split_args(balanced(body, m.end() - 1))
        if len(args) == 3:
            ramps.add(args[1])
    if ramps:
        return '/'.join(sorted(ramps))
    offsets = {}
    for m in re.finditer(r'\binput\[', body):
        index = balanced(body, m.end() - 1).strip()
        k = re.match(r'^(.*) \+ (\d+)$', index)
        base, off = (k.group(1), int(k.group(2))) if k else (index, 0)
        while base.startswith('(') and balanced(base, 0) == base[1:-1]:
            base = base[1:-1]
        offsets.setdefault(base, set()).add(off)
    if len(offsets) == 1:
        offs = sorted(next(iter(offsets.values())))
        steps = {b - a for a, b in zip(offs, offs[1:])}
        if len(steps) == 1:
            return str(steps.pop())
    return 'stride_x' if offsets else '?'


def parse_stmt(path):
    """The stmt's for-loops by serial, each with its specialization branch
    (the if/else-if chain it lies in) and the input stride of its body."""
    loops, stack, lines = {}, [], open(path).read().splitlines()
    serial = 0
    for i, raw in enumerate(lines):
        s = raw.strip()
        if s.startswith('}'):
            kind, obj, start = stack.pop()
            if kind == 'for':
                obj.body = '\n'.join(lines[start + 1:i])
            m = re.match(r'^\} else(?: if \((.*)\))? \{$', s)
            if m and kind == 'if':     # next branch of the same chain
                cond, before = obj
                stack.append(('if', (m.group(1) or 'else', before + (cond,)), i))
            continue
        if not s.endswith('{'):
            continue
        m = re.match(r'^(?:\w+ )?for \((.*)\) \{$', s)
        if m:
            serial += 1
            args = split_args(m.group(1))
            parents = [o for k, o, _ in stack if k == 'for']
            ifs = [o for k, o, _ in stack if k == 'if']
            loop = StmtLoop(serial, args[0], args[-1], parents, spec=ifs[-1] if ifs else None)
            loops[serial] = loop
            stack.append(('for', loop, i))
            continue
        m = re.match(r'^if \((.*)\) \{$', s)
        stack.append(('if', (m.group(1), ()), i) if m else ('other', None, i))
    for loop in loops.values():
        stage = loop.name.rsplit('.', 1)[0]
        taps = {}
        for p in loop.parents:
            name = re.sub(r'(\.rebased)+$', '', p.name)
            if name.startswith(stage + '.'):
                taps[name[len(stage) + 1:]] = p.extent
                loop.partitioned |= name != p.name
        if not taps:
            loop.kernel = '1x1'
        elif all(e.isdigit() for e in taps.values()):
            loop.kernel = f"{taps.get('r$z', '1')}x{taps.get('r$y', '1')}"
        else:
            loop.kernel = 'any'
        loop.stride = input_stride(loop.body) if 'select(' not in loop.body else None
    # Border loops read through padding selects, partitioned loops have
    # runtime extents: their stride and kernel size are those of the plain
    # select-free loop in the same specialization branch (same condition, or
    # else the same place in the chain: every chain is one stage's list).
    by_spec, by_place = {}, {}

    def place(spec):
        return (len(spec[1]), spec[0] == 'else')

    for loop in loops.values():
        innermost = not re.search(r'\bfor \(', loop.body)
        if innermost and loop.stride and loop.spec and not loop.partitioned:
            by_spec.setdefault(loop.spec, (loop.stride, loop.kernel))
            by_place.setdefault(place(loop.spec), (loop.stride, loop.kernel))
    for loop in loops.values():
        known = by_spec.get(loop.spec) or (by_place.get(place(loop.spec)) if loop.spec else None)
        if loop.stride is None:
            loop.stride = known[0] if known else '?'
        if known:         # the specialization fixes the kernel size
            loop.kernel = known[1]
        if loop.stride == 'stride_x':
            loop.stride = 'any'
    return loops

# --------------------------------------------------------------------------
# Classification


X86_FMA = re.compile(r'^v?fn?m(?:add|sub)(?:sub|add)?(?:132|213|231)p[sd]$')
X86_SELECT = re.compile(r'^v?(?:p?blend\w*|cmp\w*p[sd]|pcmp\w+|pternlog[dq]|andn?p[sd]|pandn?[dq]?)$')
X86_GATHER = re.compile(r'^vp?gather\w+$')
X86_PERMUTE = re.compile(r'^v?(?:perm\w*|shuf\w*|unpck\w*|punpck\w*|insert\w*|pinsr\w|extract\w*|'
                         r'pextr\w|movsldup|movshdup|palignr|align[dq]|pshufb|expand\w*|compress\w*)$')
A64_FMA = re.compile(r'^fml[as]$')
A64_SELECT = re.compile(r'^(?:bsl|bif|bit|fcsel|fcm\w+|cm(?:eq|ge|gt|hi|hs|le|lt|tst)|and|bic)$')
A64_PERMUTE = re.compile(r'^(?:zip[12]|uzp[12]|trn[12]|ext|tbl|tbx|ld[234]|st[234]|ins|dup|rev\d+)$')


def is_fma(mnemonic, operands, arch):
    if arch == 'x86':
        return bool(X86_FMA.match(mnemonic))
    return bool(A64_FMA.match(mnemonic)) and operands.startswith('v')


def fma_width(operands, arch):
    if arch == 'x86':
        regs = re.findall(r'%([xyz])mm\d+', operands)
        return {'x': 128, 'y': 256, 'z': 512}[regs[-1]] if regs else 0
    m = re.match(r'v\d+\.(\d+)([hsd])', operands)
    return int(m.group(1)) * {'h': 16, 's': 32, 'd': 64}[m.group(2)] if m else 0


def stack_access(mnemonic, operands, arch):
    """(loads, stores) of one instruction addressing the stack pointer (the
    frame pointer is not counted: these functions use rbp/x29 as ordinary
    registers too)."""
    if arch == 'x86':
        ops = split_args(operands)
        on_stack = [bool(re.search(r'\(%rsp\b', o)) for o in ops]
        if not any(on_stack) or mnemonic.startswith('lea'):
            return 0, 0
        if not on_stack[-1] or re.match(r'^(?:cmp|test|bt|ucomis|comis)', mnemonic):
            return 1, 0    # a reload (or a folded one)
        if re.match(r'^(?:v?mov|push)', mnemonic):
            return 0, 1    # a spill
        return 1, 1        # read-modify-write
    if not re.search(r'\[\s*sp\b', operands):
        return 0, 0
    return (0, 1) if mnemonic.startswith('st') else (1, 0)


@dataclass
class Stats:
    instrs: int
    fma: Counter          # register width -> count
    select: int
    gather: int
    permute: int
    stack_loads: int
    stack_stores: int
    branches: int         # conditional branches, the loop's own included

    @property
    def fmas(self):
        return sum(self.fma.values())

    @property
    def spill(self):
        return f'{self.stack_loads}/{self.stack_stores}'

    def traits(self):
        t = [f'{self.select} select/blend/mask' if self.select else
             'select-free' if self.branches <= 1 else f'{self.branches - 1} in-loop branches']
        if self.select and self.branches > 1:
            t.append(f'{self.branches - 1} in-loop branches')
        if self.gather:
            t.append(f'{self.gather} gather')
        if self.permute:
            t.append(f'{self.permute} permute/insert')
        return ', '.join(t)


def measure(body, arch):
    fma, select, gather, permute, sl, ss, branches = Counter(), 0, 0, 0, 0, 0, 0
    for mnemonic, operands in body:
        if branch_target(mnemonic, operands, arch) and mnemonic not in ('jmp', 'b'):
            branches += 1
        if is_fma(mnemonic, operands, arch):
            fma[fma_width(operands, arch)] += 1
        if arch == 'x86':
            select += bool(X86_SELECT.match(mnemonic) or re.search(r'\{%k[1-7]\}', operands))
            gather += bool(X86_GATHER.match(mnemonic))
            permute += bool(X86_PERMUTE.match(mnemonic))
        else:
            vector = re.match(r'\{?\s*v\d+', operands)
            select += bool(A64_SELECT.match(mnemonic) and (vector or mnemonic == 'fcsel'))
            lane = re.search(r'\}\s*\[\d+\]|\.[bhsd]\[\d+\],', operands)   # lane load / lane move
            permute += bool(A64_PERMUTE.match(mnemonic) and vector
                            or mnemonic in ('ld1', 'mov') and lane)
        loads, stores = stack_access(mnemonic, operands, arch)
        sl, ss = sl + loads, ss + stores
    return Stats(len(body), fma, select, gather, permute, sl, ss, branches)


@dataclass
class Loop:
    block: Block
    body: list
    arch: str
    stats: Stats
    nblocks: int = 1      # basic blocks in the loop (>1: all paths concatenated)
    outer: Block = None   # header of the enclosing kernel-tap loop
    outer_body: list = None
    region: str = '?'
    kernel: str = '?'
    stride: str = '?'
    partitioned: bool = False

    @property
    def fmas(self):
        return self.stats.fmas

    @property
    def key(self):
        """The body with general-purpose registers normalized."""
        gpr = r'%(?:r[a-z0-9]+|e[a-z]{2})\b' if self.arch == 'x86' else r'\b[xw]\d+\b'
        text = '\n'.join(f'{m} {o}' for m, o in self.body[:-1])
        return hashlib.sha1(re.sub(gpr, 'R', text).encode()).hexdigest()


def describe(loop, stmt):
    """Accumulator, kernel sizes and input stride of a loop, from the stmt."""
    m = re.search(r'conv_(interior|border|rows|columns|staged)', loop.block.ir_name)
    loop.region = m.group(1) if m else (loop.block.ir_name or '?')
    m = re.match(r'^(\d+)_for_(.*)$', loop.block.ir_name)
    s = stmt.get(int(m.group(1))) if m else None
    if not s or not m.group(2).startswith(s.name):
        return
    loop.kernel, loop.partitioned = s.kernel, s.partitioned
    loop.stride = s.stride


def enclosing_loop(blocks, index, loop, arch):
    """The loop around `loop` if it is a loop of the same Halide stage (a
    kernel-tap loop around the channel loop): (header block, body)."""
    b = loop.block
    j = index.get(b.parent)
    m = re.match(r'^\d+_for_(.+?\.s\d+)\.', b.ir_name)     # <func>.s<stage>.<var>
    if j is None or not m:
        return None, None
    outer = blocks[j]
    if not re.match(r'^\d+_for_' + re.escape(m.group(1)) + r'\.', outer.ir_name):
        return None, None
    body = loop_body(blocks, j, arch)
    if body is None or len(body) > len(loop.body) + 200:   # more than a loop latch around it
        return None, None
    return outer, body


def find_loops(asm, arch, stmt_path=None):
    stmt = parse_stmt(stmt_path) if stmt_path else {}
    blocks = parse_blocks(asm, arch)
    index = {b.label: i for i, b in enumerate(blocks) if b.label}
    loops = []
    for i, body, nblocks in inner_loops(blocks, arch):
        stats = measure(body, arch)
        if not stats.fmas:
            continue
        loop = Loop(blocks[i], body, arch, stats, nblocks)
        describe(loop, stmt)
        loop.outer, loop.outer_body = enclosing_loop(blocks, index, loop, arch)
        loops.append(loop)
    return loops


@dataclass
class Group:
    loops: list

    @property
    def rep(self):
        return self.loops[0]

    def label(self):
        kernels = sorted({x.kernel for x in self.loops}, key=lambda k: (k == 'any', k))
        stride = '/'.join(sorted({x.stride for x in self.loops}))
        notes = ', partitioned' if self.rep.partitioned else ''
        notes += f', {self.rep.nblocks} blocks' if self.rep.nblocks > 1 else ''
        return f"{self.rep.region}, stride {stride}, {'/'.join(kernels)}{notes}"

    def rank(self):
        l = self.rep
        return (-l.fmas, {'1': 0, '2': 1}.get(l.stride, 2), l.region != 'interior', l.region == 'border',
                l.stats.select > 0, len(l.body), -len(self.loops))


def group_loops(loops):
    groups = {}
    for l in loops:
        groups.setdefault((l.region, l.partitioned, l.key), []).append(l)
    return sorted((Group(g) for g in groups.values()), key=Group.rank)


def top_groups(groups, n):
    """The best group of each distinct (accumulator, stride), best first."""
    top, seen = [], set()
    for g in groups:
        kind = (g.rep.region, g.rep.stride)
        if kind not in seen and len(top) < n:
            seen.add(kind)
            top.append(g)
    return top

# --------------------------------------------------------------------------
# llvm-mca


def mca_source(body, label, arch):
    """A loop body as llvm-mca input: its label, then its instructions."""
    lines = [f'{label}:'] if label else []
    lines += [f'\t{m}\t{o}'.rstrip() for m, o in body]
    return '\n'.join(lines) + '\n'


@dataclass
class Mca:
    text: str
    iterations: int
    total_cycles: int
    rthroughput: float
    pressure: dict        # resource -> pressure per iteration, all instructions
    fma_pressure: dict    # resource -> pressure per iteration from the FMAs

    @property
    def cycles_per_iter(self):
        return self.total_cycles / self.iterations


def run_mca(mca, triple, cpu, source, arch, iterations=100, extra=()):
    cmd = [mca, f'-mtriple={triple}', f'-mcpu={cpu}', f'-iterations={iterations}', *extra]
    p = subprocess.run(cmd, input=source, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f'{" ".join(cmd)} failed:\n{p.stderr}\non:\n{source}')
    text = p.stdout

    def number(name):
        return float(re.search(rf'^{name}:\s+([\d.]+)', text, re.M).group(1))

    names = [n for _, n in re.findall(r'^\[([\d.]+)\]\s+- (\S+)', text, re.M)]
    pressure, fma_pressure = defaultdict(float), defaultdict(float)
    view = text.split('Resource pressure by instruction:', 1)[-1].splitlines()[2:]
    for row in view:
        cells = row.split()
        if len(cells) <= len(names):
            break
        values, instr = cells[:len(names)], cells[len(names):]
        fma = is_fma(instr[0].lower(), ' '.join(instr[1:]), arch)
        for name, v in zip(names, values):
            if v != '-':
                pressure[name] += float(v)
                if fma:
                    fma_pressure[name] += float(v)
    return Mca(text, iterations, int(number('Total Cycles')), number('Block RThroughput'),
               dict(pressure), dict(fma_pressure))


def probe_pipes(mca, triple, cpu, arch, width):
    """FMA pipes of a model as llvm-mca sees them: 8 independent register
    FMAs of the given width; pipes = 8 / block reciprocal throughput."""
    if arch == 'x86':
        r = {128: 'xmm', 256: 'ymm', 512: 'zmm'}[width]
        body = [('vfmadd231ps', f'%{r}0, %{r}1, %{r}{i + 4}') for i in range(8)]
    else:
        body = [('fmla', f'v{i + 8}.4s, v0.4s, v1.4s') for i in range(8)]
    result = run_mca(mca, triple, cpu, mca_source(body, '', arch), arch)
    pipes = {n for n, v in result.fma_pressure.items() if v > 0}
    return 8 / result.rthroughput, pipes

# --------------------------------------------------------------------------
# Commands


def cmd_list(args):
    for g in group_loops(find_loops(args.asm, args.arch, args.stmt)):
        l, s = g.rep, g.rep.stats
        widths = ' '.join(f'{w}b:{n}' for w, n in sorted(s.fma.items()))
        labels = ' '.join(x.block.label for x in g.loops)
        print(f'{g.label():40} insns {s.instrs:4} fma {s.fmas:3} ({widths}) '
              f'{s.traits():40} stack {s.spill}  x{len(g.loops)}: {labels}')


def parse_case(text):
    case = dict(kv.split('=', 1) for kv in text.split(','))
    missing = {'kernel', 'isa', 'cpu', 'triple', 'asm'} - case.keys()
    if missing:
        raise SystemExit(f'asm_loops.py: case {text!r} lacks {", ".join(sorted(missing))}')
    case['arch'] = 'aarch64' if case['triple'].startswith('aarch64') else 'x86'
    return case


def fmt_width(fma):
    return ' '.join(f'{n}x{w}b' for w, n in sorted(fma.items()))


def fmt_pressure(mca, pipes):
    return ', '.join(f'{p} {mca.pressure.get(p, 0):.2f} (FMAs {mca.fma_pressure.get(p, 0):.2f})'
                     for p in sorted(pipes))


class Report:
    HEADER = ('kernel', 'isa', 'model', 'loop', 'insns', 'FMA/it', 'RThru', 'cyc/it',
              'FMA util', 'spill ld/st')

    def __init__(self, args):
        self.args = args
        self.summary, self.details, self.appendix = [], [], []
        self.findings, self.pipe_checks, self.mismatch = [], {}, False
        self.main_loops = []  # (kernel, isa, cpu, label, FMA util) of each case's best loop

    def check_pipes(self, case, width):
        """Compares llvm-mca's FMA pipes of a model with FMA_PIPES."""
        cpu = case['cpu']
        if (cpu, width) in self.pipe_checks:
            return
        n, names = probe_pipes(self.args.mca, case['triple'], cpu, case['arch'], width)
        expected_n, expected = FMA_PIPES.get((cpu, width), FMA_PIPES.get(cpu, (None, set())))
        ok = expected_n is not None and round(n) == expected_n and names == expected
        self.mismatch |= not ok
        self.pipe_checks[(cpu, width)] = (
            f"{cpu}, {width}-bit FMAs: 8 independent FMAs have a block RThroughput of "
            f"{8 / n:.2f} cycles in llvm-mca = {n:g} pipes, on {', '.join(sorted(names))}: "
            + ('matches the table' if ok else
               f'MISMATCH with the table ({expected_n} pipes, {", ".join(sorted(expected))})'))

    def measure_code(self, case, body, label, detail):
        extra = ('-bottleneck-analysis',) if detail else ()
        return run_mca(self.args.mca, case['triple'], case['cpu'],
                       mca_source(body, label, case['arch']), case['arch'], extra=extra)

    def add_case(self, case):
        cpu, arch = case['cpu'], case['arch']
        pipes, pipe_names = FMA_PIPES.get(cpu, (2, set()))
        loops = find_loops(case['asm'], arch, case.get('stmt'))
        groups = group_loops(loops)
        if not groups:
            raise SystemExit(f"asm_loops.py: no FMA loop found in {case['asm']}")
        for width in sorted({w for l in loops for w in l.stats.fma}):
            self.check_pipes(case, width)
        top = top_groups(groups, self.args.top)
        where = f"{case['kernel']} / {case['isa']} / {cpu}"
        self.appendix += [f"\n{where}: {len(groups)} distinct FMA loops "
                          f"({len(loops)} in all; * = in the summary)",
                          f"  {'#':>3} {'loop':40} {'insns':>5} {'FMA':>4} {'RThru':>7} {'cyc/it':>7} "
                          f"{'util':>5} {'spill':>6}  traits; labels"]
        for rank, g in enumerate(groups, 1):
            l, s = g.rep, g.rep.stats
            mca = self.measure_code(case, l.body, l.block.label, g in top)
            util = s.fmas / pipes / mca.rthroughput
            labels = ' '.join(x.block.label for x in g.loops)
            mark = '*' if g in top else ' '
            self.appendix.append(
                f"  {rank:>2}{mark} {g.label():40} {s.instrs:5} {s.fmas:4} {mca.rthroughput:7.2f} "
                f"{mca.cycles_per_iter:7.2f} {util:5.0%} {s.spill:>6}  {s.traits()}; {labels}")
            if g not in top:
                continue
            if g is top[0]:
                self.main_loops.append((case['kernel'], case['isa'], cpu, g.label(), util))
            self.summary.append((case['kernel'], case['isa'], cpu, g.label(), s.instrs,
                                 f'{s.fmas} ({fmt_width(s.fma)})', f'{mca.rthroughput:.2f}',
                                 f'{mca.cycles_per_iter:.2f}', f'{util:.0%}', s.spill))
            self.add_details(case, where, g, mca, pipes, pipe_names)
        self.add_findings(where, groups, top, pipes, case)

    def add_details(self, case, where, g, mca, pipes, pipe_names):
        l, s = g.rep, g.rep.stats
        util = s.fmas / pipes / mca.rthroughput
        d = self.details
        d += ['=' * 100, f'{where}: {g.label()}',
              f"  asm: {case['asm']}",
              *[f'    {x.block.label} (line {x.block.line}, {x.block.ir_name}, in {x.block.function})'
                for x in g.loops],
              f'  instructions {s.instrs}; vector FMAs {s.fmas} ({fmt_width(s.fma)}); {s.traits()}; '
              f'stack loads/stores (spills) {s.spill}',
              f'  block reciprocal throughput {mca.rthroughput:.2f} cycles/iteration; '
              f'simulated {mca.cycles_per_iter:.2f} cycles/iteration',
              f'  FMA-port utilization = ({s.fmas} FMAs / {pipes} pipes) / {mca.rthroughput:.2f} '
              f'cycles = {util:.0%}  (with simulated cycles: '
              f'{s.fmas / pipes / mca.cycles_per_iter:.0%})',
              f'  FMA pipe pressure per iteration: {fmt_pressure(mca, pipe_names)}']
        with_outer = [x for x in g.loops if x.outer_body]
        if with_outer:
            x = with_outer[0]
            o = measure(x.outer_body, x.arch)
            om = self.measure_code(case, x.outer_body, x.outer.label, False)
            d.append(f'  enclosing loop {x.outer.label} ({x.outer.ir_name}) with the inner loop '
                     f'run once: {o.instrs} instructions, {o.fmas} FMAs, stack loads/stores {o.spill}, '
                     f'block RThroughput {om.rthroughput:.2f}, simulated {om.cycles_per_iter:.2f} '
                     f'cycles/iteration, FMA util {o.fmas / pipes / om.rthroughput:.0%}')
            self.summary.append(('', '', '', f'  + enclosing loop, inner x1', o.instrs,
                                 str(o.fmas), f'{om.rthroughput:.2f}', f'{om.cycles_per_iter:.2f}',
                                 f'{o.fmas / pipes / om.rthroughput:.0%}', o.spill))
        d += ['-' * 100, mca_source(l.body, l.block.label, l.arch).rstrip(), '-' * 100,
              mca.text.rstrip()]

    def add_findings(self, where, groups, top, pipes, case):
        spills = [g for g in groups if g.rep.stats.stack_loads + g.rep.stats.stack_stores]
        if spills:
            worst = max(spills, key=lambda g: g.rep.stats.stack_loads + g.rep.stats.stack_stores)
            self.findings.append(
                f'{where}: {len(spills)} of {len(groups)} FMA loops touch the stack (spills/reloads); '
                f'most: {worst.label()} with {worst.rep.stats.spill} loads/stores per iteration '
                f'({worst.rep.block.label})')
        for g in top:
            s = g.rep.stats
            if s.permute >= s.fmas:
                self.findings.append(
                    f'{where}: {g.label()}: {s.permute} permute/insert instructions for {s.fmas} FMAs '
                    f'per iteration (vectors assembled lane by lane)')

    def write(self):
        rows = [self.HEADER] + self.summary
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(self.HEADER))]
        rows.insert(1, tuple('-' * w for w in widths))
        table = '\n'.join('  '.join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
        pipes = '\n'.join(f'  {c}' for c in self.pipe_checks.values())
        findings = '\n'.join(f'  - {f}' for f in self.findings) or '  (none)'
        intro = f"""convkit llvm-mca report ({self.args.mca}, -iterations=100)

Loops: basic blocks that branch back to their own label, grouped by identical
body. Label: accumulator (interior = no padding selects; rows, columns,
border = padding checked on rows, columns, both; staged = reads a padded
copy, no checks), input stride (any = runtime stride), kernel sizes of the
specializations that run this body (any = runtime size). The summary shows
the best loop of each distinct accumulator and stride, most FMAs first.
RThru: llvm-mca's block reciprocal throughput (cycles/iteration, the static
resource bound); cyc/it: simulated total cycles / iterations.
FMA util = (FMAs per iteration / FMA pipes) / RThru.
spill ld/st: loads/stores addressing the stack frame per iteration.
"+ enclosing loop, inner x1": the loop around it, with the inner loop run
once (its cost per kernel tap when there is one input channel per group,
as in depthwise layers).
FMA pipes (verified with llvm-mca on 8 independent FMAs per model and width):
{pipes}
"""
        report = '\n'.join([intro, table, '', 'Findings', *[findings], '',
                            'All FMA loops', '=' * 13, *self.appendix, '',
                            'Top loops in detail', *self.details, ''])
        with open(self.args.out, 'w') as f:
            f.write(report)
        print(table)
        print('\nFMA pipes (llvm-mca probe):\n' + pipes)
        print('\nFindings:\n' + findings)
        print('\n' + self.verdict())
        return 1 if self.mismatch else 0

    MAIN_LOOP_TARGET = 0.85

    def verdict(self):
        """Whether each kernel's main loop (its best-ranked FMA loop) is
        FMA-bound: at least 85% of the FMA pipes' throughput."""
        below = [m for m in self.main_loops if m[4] < self.MAIN_LOOP_TARGET - 1e-9]
        lines = [f'Main loops FMA-bound (>= {self.MAIN_LOOP_TARGET:.0%} of FMA-port throughput): '
                 f'{len(self.main_loops) - len(below)} of {len(self.main_loops)} kernel/ISA pairs']
        lines += [f'  below: {k} / {isa} / {cpu}: {util:.0%} ({label})' for k, isa, cpu, label, util in below]
        return '\n'.join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    pl = sub.add_parser('list', help='list the FMA loops of one assembly file')
    pl.add_argument('asm')
    pl.add_argument('--stmt')
    pl.add_argument('--arch', choices=['x86', 'aarch64'], required=True)
    pr = sub.add_parser('report', help='llvm-mca report of the hot loops')
    pr.add_argument('--out', required=True)
    pr.add_argument('--top', type=int, default=3)
    pr.add_argument('--mca', default='llvm-mca-19')
    pr.add_argument('case', nargs='+')
    args = p.parse_args()
    if args.cmd == 'list':
        cmd_list(args)
        return 0
    report = Report(args)
    for case in args.case:
        report.add_case(parse_case(case))
    return report.write()


if __name__ == '__main__':
    sys.exit(main())
