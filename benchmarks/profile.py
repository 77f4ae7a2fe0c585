"""Where emutools' time and memory go on a workload: per step of ``rank_file``, optionally
with a pyinstrument call tree.

    python benchmarks/profile.py province
    python benchmarks/profile.py nation --pyinstrument benchmarks/out/nation-profile.txt
    python benchmarks/profile.py nation --pyinstrument benchmarks/out/nation-profile.html

For each step (read, core, layout, write, full list — as ``emutools.headless.rank_file`` calls
them) it prints the time (wall clock, and CPU time, steadier on a loaded machine), the resident
memory after the step and the step's own peak (the kernel's high-water mark is reset before
each step through ``/proc/self/clear_refs``).  Not a
benchmark: one run, in-process; use ``benchmarks/run.py`` for timings to compare.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.contenders import PHASES, compile_package, fresh_copy, reset_peak_rss  # noqa: E402
from benchmarks.generate import WORKLOADS, ensure  # noqa: E402


def memory() -> dict[str, float]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--pyinstrument", type=Path, help="write a call tree (.txt or .html)")
    args = parser.parse_args(argv)
    path = ensure(WORKLOADS[args.workload])
    compile_package()
    import emutools.headless as headless

    rows = []
    for name, phase in PHASES.items():
        func = getattr(headless, name, None)
        if func is None:
            continue

        def step(*a, _func=func, _phase=phase, **kw):
            exact = reset_peak_rss()
            start, cpu = time.perf_counter(), time.process_time()
            out = _func(*a, **kw)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            mem = memory()
            rows.append((_phase, seconds, cpu, mem["VmRSS"], mem["VmHWM"] if exact else None))
            return out

        setattr(headless, name, step)
    profiler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
    with tempfile.TemporaryDirectory() as tmp:
        copy = fresh_copy(path, Path(tmp))
        base = memory()["VmRSS"]
        if profiler:
            profiler.start()
        start = time.perf_counter()
        headless.rank_file(copy)
        total = time.perf_counter() - start
        if profiler:
            profiler.stop()
    print(f"{args.workload}: rank_file {total:.2f} s; RSS before {base:.0f} MB, "
          f"process peak {memory()['VmHWM']:.0f} MB")
    print(f"{'step':9s} {'seconds':>8s} {'CPU s':>8s} {'RSS after':>10s} {'step peak':>10s}")
    for phase, seconds, cpu, rss, peak in rows:
        print(f"{phase:9s} {seconds:8.2f} {cpu:8.2f} {rss:9.0f}M " + (f"{peak:9.0f}M" if peak else "    n/a"))
    if profiler:
        if args.pyinstrument.suffix == ".html":
            args.pyinstrument.write_text(profiler.output_html())
        else:
            args.pyinstrument.write_text(profiler.output_text(unicode=True, color=False))
        print(f"call tree: {args.pyinstrument}")


if __name__ == "__main__":
    main()
