"""The ``symland sweep`` command: options, progress on stderr, the summary table and the exit status.

Progress: ``sweep: 12/40 instances (3 resumed), 2.1/s, ETA 13 s`` (rate and ETA once measured) — redrawn in place on
a terminal, else one line every few seconds. The dask dashboard's address is printed first when the scheduler has
one. The summary (stdout) covers the whole results file, resumed rows included: unexpected verdicts first, then
verdicts by claim × tier. Exit status as for ``symland verify``
(:func:`proofs_check.commands.exit_status.exit_status`, with the spec's tier as the tier asked for): 0 when every
verdict is positive and as strong as its tier allows, 1 otherwise (also when the spec asked for ``recheck`` and the
re-checker rejected a certificate), 2 for a spec or option that cannot be used (one line on stderr).

``--timeout`` bounds the whole sweep (default 600 s, as for every command; re-checking resumed rows included):
the instances not finished by then count as ``inconclusive`` in the summary (exit 1), and one line on stderr
says so; they are not written to the results file, so ``--resume`` computes them. ``--instance-timeout`` (or the
spec's ``timeout``) bounds each instance, drawing its data included.
"""

from __future__ import annotations

import argparse
import sys
import time

__all__ = ["add_parser", "run", "Progress"]


def add_parser(sub, seconds) -> argparse.ArgumentParser:
    s = sub.add_parser("sweep", help="decide a family of instances on dask.distributed (pip install "
                       "'symland[sweep]')", description="Run claims over a family of instances (spec.json: "
                       "count, seed, widths, activations, data, claims, tier; see README) on a dask cluster, "
                       "writing one certificate per line to --out as results arrive.")
    s.add_argument("spec", metavar="SPEC.json", help="the family of instances")
    s.add_argument("--out", required=True, metavar="FILE", help="results, one certificate JSON per line; the "
                   "instances' data go to FILE-without-extension + '-data/'")
    s.add_argument("--scheduler", metavar="ADDRESS", help="an existing dask scheduler (tcp://host:8786); "
                   "default: a LocalCluster on this machine")
    s.add_argument("--workers", type=int, metavar="N", help="worker processes of the local cluster (default: "
                   "the number of cores)")
    s.add_argument("--resume", action="store_true", help="continue --out: skip the instances it holds, once "
                   "each row is verified (this spec's, this instance's, re-checked from its witness); the rest "
                   "are recomputed")
    s.add_argument("--timeout", type=seconds, metavar="SECONDS", help="for the whole sweep (default 600): the "
                   "instances not finished by then are reported inconclusive (a --resume run finishes them)")
    s.add_argument("--instance-timeout", type=seconds, metavar="SECONDS", help="per instance, drawing its data "
                   "included: checks not finished by then are inconclusive (default: the spec's timeout, else "
                   "only --timeout)")
    s.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return s


class Progress:
    """Instances done, rate and ETA on ``stream`` (in place on a terminal, else every ``every`` seconds).

    The rate is measured from the first instance this run finished (the cluster's start-up is not in it), and
    shown, with the ETA, only once :data:`MEASURED` instances have finished after that one; before, the line says
    that the rate is being measured. The last line says how long the run took.
    """

    #: instances finished after the first one before a rate (and an ETA) is shown
    MEASURED = 2

    def __init__(self, stream=None, *, every: float = 5.0):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = every
        self.start = time.monotonic()
        self.last = 0.0
        self.first: tuple[float, int] | None = None  # (time, new) at the first instance this run finished

    def line(self, done: int, total: int, resumed: int) -> str:
        new = done - resumed
        now = time.monotonic()
        if new > 0 and self.first is None:
            self.first = (now, new)
        extra = f" ({resumed} resumed)" if resumed else ""
        head = f"sweep: {done}/{total} instances{extra}"
        if done >= total:
            return f"{head}, done in {now - self.start:.1f} s"
        if self.first is None or new - self.first[1] < self.MEASURED or now <= self.first[0]:
            return f"{head}, measuring the rate…"
        rate = (new - self.first[1]) / (now - self.first[0])
        return f"{head}, {rate:.2f}/s, ETA {(total - done) / rate:.0f} s"

    def __call__(self, done: int, total: int, resumed: int) -> None:
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + self.line(done, total, resumed).ljust(70))
        elif now - self.last >= self.every or done == total:
            self.stream.write(self.line(done, total, resumed) + "\n")
            self.last = now
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def run(args) -> int:
    from symland.errors import InputError

    from proofs_check.certificate import Certificate
    from proofs_check.commands.exit_status import exit_status
    from proofs_check.sweep import dashboard_link, sweep
    from proofs_check.sweep._results import certificate_obj, read_results, recheck_status, summary_table
    from proofs_check.sweep.spec import load_spec

    spec = load_spec(args.spec)
    if args.workers is not None and not 1 <= args.workers <= 1024:
        raise InputError(f"--workers must be from 1 to 1024, got {args.workers}")
    bar = None if args.quiet else Progress()

    def started(client) -> None:
        link = dashboard_link(client)
        where = args.scheduler or f"a local cluster of {len(client.nthreads())} worker processes"
        print(f"symland: sweep of {spec.count} instances × {len(spec.claims)} claims on {where}"
              + (f"; dask dashboard: {link}" if link else "; no dask dashboard (pip install bokeh for one)"),
              file=sys.stderr)

    it = sweep(spec, out=args.out, resume=args.resume, timeout=args.instance_timeout, deadline=args.timeout,
               scheduler=args.scheduler, workers=args.workers, progress=bar, on_start=started)
    late: dict = {}
    try:
        for cert in it:
            if cert.verdict == "inconclusive" and cert.tier == "none":  # maybe not finished: not in the file
                late[(cert.instance, cert.claim)] = cert.to_json_obj()
    except KeyboardInterrupt:
        it.close()
        print(f"\nsymland: interrupted; {args.out} keeps every finished certificate: rerun with --resume",
              file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    rows, _ = read_results(args.out)
    late = {k: v for k, v in late.items() if k not in rows}
    rows = {**rows, **late}
    print(summary_table(rows.values()))
    if late:
        print(f"symland: sweep: the --timeout of {args.timeout:g} s passed: {len({k for k, _ in late})} instances "
              f"not finished (inconclusive, not written to {args.out}); rerun with --resume and a longer --timeout",
              file=sys.stderr)
    certs = [Certificate.from_json_obj(certificate_obj(r)) for r in rows.values()]
    if any(recheck_status(r) == "rejected" for r in rows.values()):
        return 1
    return exit_status(certs, asked_tier=spec.tier)
