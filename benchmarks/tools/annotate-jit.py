#!/usr/bin/python3
"""Instruction-level profile of one JIT-compiled .NET method, from a perf recording.

The runtime's perf map says where the method's code starts; DOTNET_JitDisasm, in the same process, lists its
instructions with their bytes, from which their offsets follow. This script lines the two up and prints the
instructions with the most samples. Record with (one process, so both describe the same code):

  DOTNET_PerfMapEnabled=3 DOTNET_JitDisasm='HandleRequestAsync' DOTNET_JitDisasmWithCodeBytes=1 \\
  DOTNET_JitStdOutFile=/tmp/disasm.txt perf record -F 5000 -o /tmp/perf.data <program>

then:  benchmarks/tools/annotate-jit.py /tmp/perf.data /tmp/disasm.txt HandleRequestAsync [top]
"""
import bisect
import collections
import glob
import re
import subprocess
import sys


def code_range(method):
    """Start and size of the method's optimized (tier-1) code, from the newest perf map."""
    maps = sorted(glob.glob('/tmp/perf-*.map'), key=lambda p: int(re.search(r'(\d+)', p).group(1)))
    for path in reversed(maps):
        for line in open(path, errors='replace'):
            start, size, name = line.rstrip('\n').split(' ', 2)
            if method in name and '[OptimizedTier1]' in name:
                return int(start, 16), int(size, 16)
    sys.exit(f'no tier-1 code for {method} in {maps}')


def instructions(disasm, method):
    """(offset, text) of each instruction of the method's last tier-1 listing."""
    lines = open(disasm, errors='replace').read().split('\n')
    starts = [i for i, l in enumerate(lines) if l.startswith('; Assembly listing') and method in l and '(Tier1)' in l]
    if not starts:
        sys.exit(f'no tier-1 listing of {method} in {disasm}')
    listing, offset = [], 0
    for line in lines[starts[-1] + 1:]:
        if line.startswith('; Assembly listing'):
            break
        label = re.match(r'^(G_M\d+_IG\d+):.*offset=0x([0-9A-F]+)', line)
        if label:
            offset = int(label.group(2), 16)
            continue
        code = re.match(r'^\s+([0-9A-F]{2,})\s{2,}(\S.*)$', line)
        if code and len(code.group(1)) % 2 == 0:
            listing.append((offset, code.group(2)))
            offset += len(code.group(1)) // 2
    return listing


def main():
    data, disasm, method = sys.argv[1:4]
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    start, size = code_range(method)
    listing = instructions(disasm, method)
    offsets = [o for o, _ in listing]
    ips = subprocess.run(['perf', 'script', '-i', data, '-F', 'ip'], capture_output=True, text=True, check=True).stdout.split()
    counts = collections.Counter()
    for ip in map(lambda x: int(x, 16), ips):
        if start <= ip < start + size:
            counts[bisect.bisect_right(offsets, ip - start) - 1] += 1
    inside = sum(counts.values())
    print(f'{inside} of {len(ips)} samples ({100 * inside / max(1, len(ips)):.1f}%) in {method}, {size} bytes of code')
    for index, n in counts.most_common(top):
        offset, text = listing[index]
        print(f'{100 * n / inside:5.1f}%  +0x{offset:04x}  {text}')


if __name__ == '__main__':
    main()
