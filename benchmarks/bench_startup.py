"""Issue 23: the start-up cost of the ``symland`` command — CPU time of ``symland --help`` (and ``symland verify
--help``) in a fresh process, now and at an earlier commit, in the same run.

Each figure is the CPU time (user + system, from ``os.wait4``) of a whole fresh ``python`` process that runs the
command line's ``main`` on the arguments, the interpreter's own start-up included; the best of ``--repeat`` runs
(the machine is shared: the minimum is the cost, the rest is waiting). The earlier tree is extracted with ``git
archive`` into a temporary folder (default ``a7baa8f``, before the engine imports were made lazy). The last table
lists the slowest imports of ``symland --help`` now (``python -X importtime``, cumulative).

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --before a7baa8f --repeat 7
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = (["--help"], ["verify", "--help"], ["certify", "--help"])
HEAVY = ("sympy", "flint", "numpy")
CODE = ("import contextlib, io, sys\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    from proofs_check.commands.cli import main\n"
        "    main(sys.argv[1:])\n"
        f"print(*[m for m in {HEAVY!r} if m in sys.modules])\n")


def _env(tree: str) -> dict:
    return {**os.environ, "PYTHONPATH": tree}


def cpu_of(tree: str, argv: list[str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, heavy modules loaded) of one fresh process running the CLI of ``tree``."""
    import time

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CODE, *argv], cwd=tree, env=_env(tree), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench_startup: {argv} failed in {tree} (exit {proc.returncode})")
    return usage.ru_utime + usage.ru_stime, wall, out.strip() or "none"


def best(tree: str, argv: list[str], repeat: int) -> tuple[float, float, str]:
    runs = [cpu_of(tree, argv) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2]


def slowest_imports(tree: str, top: int = 8) -> list[tuple[int, str]]:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", CODE, "--help"], cwd=tree, env=_env(tree),
                         capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line.split("|")
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="a7baa8f", help="the earlier commit (default a7baa8f)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bare = min(cpu_of_bare() for _ in range(args.repeat))
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        print(f"start-up of the symland CLI, CPU seconds of a fresh process (best of {args.repeat}); "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; a bare `python -c pass`: {bare:.3f} s")
        print(f"| command | before ({args.before}) CPU s | now CPU s | ratio | wall s before / now | "
              "heavy modules loaded before / now |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for argv in COMMANDS:
            b, bw, bm = best(old, argv, args.repeat)
            a, aw, am = best(ROOT, argv, args.repeat)
            print(f"| symland {' '.join(argv)} | {b:.3f} | {a:.3f} | {b / a:.1f}× | {bw:.2f} / {aw:.2f} | "
                  f"{bm} / {am} |")
    print("target: symland --help under 0.3 s of CPU; the slowest imports now (cumulative, -X importtime):")
    for micro, name in slowest_imports(ROOT):
        print(f"  {micro / 1000:7.1f} ms  {name}")


def cpu_of_bare() -> float:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
