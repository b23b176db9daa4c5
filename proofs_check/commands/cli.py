"""The ``symland`` command.

    symland verify                       every claim on the built-in instances
    symland verify --data points.csv --activation smoolu --claim lem-3.3 --claim thm-4.1
    symland construct --data points.csv --activation smoolu --json
    symland inspect --data points.csv --widths 2,3,1 --activation rectpow3 --point point.json --json
    symland explain                      where each hypothesis bites, decided exactly
    symland claims                       the claim ids and what they check
    symland train --data points.csv --widths 2,16,1 --activation tanh --out model.npz
    symland certify --model net.npz --data points.csv   a trained network: its distance to M, certified
    symland sweep spec.json --out results.jsonl   a family of instances on dask.distributed
    symland proof cert.json              the proof of a saved certificate in words (Markdown with LaTeX)

Exit status (see proofs_check.commands.exit_status): 0 when every verdict is positive and as strong as its tier
allows (proved; certified for ball; numerical only with --tier float/mp), or on the built-in instances as
the paper predicts; 1 when a verdict is refuted, hypothesis-fails, inconclusive or weaker than asked; 2 for
input that cannot be read or used (one line on stderr, no traceback).
Every command stops after --timeout SECONDS (default 600): verify reports unfinished checks as
inconclusive, the other commands print one line and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from symland.errors import InputError, ShapeError, SymlandError
from symland.sigma.catalog import names as activation_names

from proofs_check.certificate import CertificateList, format_table
from proofs_check.claim_ids import ALL_IDS, GENERAL, GLOBAL_IDS
from proofs_check.commands._bounds import abbreviated, guarded, plot_dir
from proofs_check.commands.exit_status import EXIT_CODES_HELP
from proofs_check.progress import ProgressBar

if TYPE_CHECKING:
    from proofs_check.instance import Instance

# Start-up time: the modules above import neither sympy, python-flint nor numpy, so `symland --help` answers in a
# fraction of the time an engine import takes (benchmarks/bench_startup.py; tests/proofs_check/test_startup.py
# keeps it so). The engine is imported inside the command that needs it.

__all__ = ["main"]

EPILOG = "Claim ids: " + " ".join(ALL_IDS) + "; opt-in (--claim ID, need msolve: pip install 'symland[global]'): " \
         + " ".join(GLOBAL_IDS) + ". Verdicts: proved, certified, numerical, refuted, hypothesis-fails, " \
         "inconclusive. " + EXIT_CODES_HELP


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        self.exit(2, f"symland: error: {message} (see symland {self.prog.split()[-1]} --help)\n"
                  if " " in self.prog else f"symland: error: {message} (see symland --help)\n")


def load_dataset(path: str):
    """:func:`symland.io.data.load_dataset`, the engine loaded on first use (a name here, so a test can replace it)."""
    from symland.io.data import load_dataset as load

    return load(path)


def run(instances, claims=None, **kw):
    """:func:`proofs_check.claims.run`, the engine loaded on first use (a name here, so a test can replace it)."""
    from proofs_check.claims import run as run_claims

    return run_claims(instances, claims, **kw)


def _widths(text: str) -> tuple[int, ...]:
    try:
        widths = tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--widths must be comma-separated integers, got {text!r}") from None
    if len(widths) < 2 or any(w < 1 for w in widths):
        raise argparse.ArgumentTypeError(f"--widths needs at least two positive sizes, got {text!r}")
    return widths


def _common(p: argparse.ArgumentParser, *, data_required: bool) -> None:
    p.add_argument("--data", required=data_required, metavar="FILE",
                   help="data set: CSV with header x1,…,xp,y (or y1,…,yl) or JSON {\"X\": …, \"Y\": …}; "
                        "values exact: 0.1 is 1/10, 1/3 allowed")
    p.add_argument("--activation", default=None, metavar="NAME",
                   help="activation σ (default smoolu); one of: " + ", ".join(activation_names()))
    p.add_argument("--activation-expr", metavar="TEXT", help="a custom σ as text, e.g. \"0 if x <= 0 else "
                   "x*exp(-1/x)\" (numbers, x, + - * / ^, exp log tanh sigmoid sqrt, 'A if x <= 0 else B'); "
                   "read by a restricted grammar, never evaluated as code")
    p.add_argument("--widths", type=_widths, metavar="P,H1,…,L",
                   help="layer widths of the network f(x) = W σ(… σ(W₁x − b₁) …) − b (default p,d,ℓ)")
    p.add_argument("--no-bias", action="store_true", help="a network without biases, f(x) = W σ(… σ(W₁x) …); "
                   "parameters W{k}_{i}_{j} only (Lemma 3.3's construction needs biases)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _network_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--network", metavar="FILE", help="a general DAG network (G, π, σ, semantics) as JSON "
                   "(see README); replaces --widths")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symland", description="Check the claims of 'The loss landscape of "
                     "overparameterized neural networks' by exact computation.", epilog=EPILOG)
    from symland import __version__

    parser.add_argument("--version", action="version", version=f"symland {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    v = sub.add_parser("verify", help="decide claims on built-in instances or on your data",
                       description="Decide each claim and print one row per (claim, instance).",
                       epilog=EPILOG)
    _common(v, data_required=False)
    _network_option(v)
    v.add_argument("--claim", action="append", metavar="ID", help="claim id (repeatable); default: all")
    v.add_argument("--point", metavar="FILE", help="JSON {parameter name: exact value}; default: the "
                   "point built by Lemma 3.3 / Corollary 3.4")
    _tier_options(v)
    v.add_argument("--quiet", action="store_true", help="no progress on stderr")
    v.add_argument("--plot", metavar="DIR", help="also write figures (fit, Hessian spectrum) as PNG into DIR "
                   "(needs matplotlib: pip install 'symland[notebooks]')")
    c = sub.add_parser("construct", help="the Lemma 3.3 / Corollary 3.4 network for your data, exact",
                       description="Build the interpolating network of Lemma 3.3 (one hidden layer) or Corollary 3.4 "
                       "(deeper). --tier auto (default) builds it exactly — rationals, or exponential polynomials in "
                       "Q[e^Q] for smooLU — whenever the exact construction is predicted to fit the budget, else with "
                       "Arb balls.")
    _common(c, data_required=True)
    c.add_argument("--hidden", type=int, metavar="H", help="hidden width h ≥ d (extra units zero)")
    _tier_options(c)
    i = sub.add_parser("inspect", help="H, J_H, L, ∇L, Hess L, rank, inertia and spectrum at any point")
    _common(i, data_required=True)
    _network_option(i)
    i.add_argument("--point", required=True, metavar="FILE", help="JSON {parameter name: exact value}")
    _tier_options(i)
    from proofs_check.commands import inspect_cmd

    inspect_cmd.add_options(i)
    e = sub.add_parser("explain", help="where the hypotheses bite: each failing hypothesis, decided exactly")
    e.add_argument("--json", action="store_true", help="print the certificates as JSON")
    k = sub.add_parser("claims", help="list the claim ids")
    from proofs_check.commands.certify_cmd import add_parser as _certify_parser

    _certify_parser(sub, _bits, _seconds)
    r = sub.add_parser("recheck", help="re-verify saved certificates (verify --json output) from their witnesses",
                       description="Re-verify each certificate from its witness alone, with a separate small "
                       "checker: exit 0 if none is rejected, 1 otherwise.")
    r.add_argument("file", metavar="CERT.json", help="one certificate or a list, as printed by verify --json, or a "
                   "sweep's results.jsonl (one certificate per line)")
    r.add_argument("--json", action="store_true", help="print the results as JSON")
    r.add_argument("--strict", action="store_true", help="also exit 1 when a proved, certified or refuted "
                   "verdict could not be re-checked at all")
    from proofs_check.commands import train_cmd

    train_cmd.add_parser(sub, _widths, _seconds, activation_names())

    from proofs_check.commands.sweep_cmd import add_parser as add_sweep

    add_sweep(sub, _seconds)

    from proofs_check.commands.proof_cmd import add_parser as add_proof

    add_proof(sub)

    for command in (v, c, i, e, k, r):
        command.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                             help="stop after SECONDS (default 600); verify reports the checks not finished by "
                                  "then as inconclusive, the other commands stop with one line and exit 1")
    return parser


TIER_HELP = ("numbers to compute with: exact (rationals; verdict proved), symbolic (Σ c·e^q; proved), "
             "ball (Arb enclosures; certified), mp (mpmath; numerical), float (numpy; numerical), or auto: "
             "the strongest that fits the instance and --time-budget (default auto)")


def _tier_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tier", default="auto", choices=("auto", "exact", "symbolic", "ball", "mp", "float"),
                   help=TIER_HELP)
    p.add_argument("--prec", type=_bits, default=128, metavar="BITS",
                   help="ball tier: starting precision in bits (default 128), doubled when an enclosure is too wide")
    p.add_argument("--max-prec", type=_bits, default=4096, metavar="BITS",
                   help="ball tier: give up (inconclusive) above this precision (default 4096)")
    p.add_argument("--dps", type=_bits, default=50, metavar="DIGITS", help="mp tier: decimal digits (default 50)")
    p.add_argument("--time-budget", type=_seconds, metavar="SECONDS",
                   help="with --tier auto: seconds for the whole run (default: --timeout, else 120 s per "
                        "instance); auto plans the strongest tier the calibrated cost model fits in, and falls "
                        "back (symbolic/exact → ball → float) when the chosen tier overruns")


def _bits(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 8 <= value <= 1 << 20:
        raise argparse.ArgumentTypeError(f"expected an integer between 8 and 1048576, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < 1e9):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _activation(args):
    """σ from --activation NAME or --activation-expr TEXT (restricted grammar, symland.expr)."""
    from symland.sigma.activations import get_activation

    text = getattr(args, "activation_expr", None)
    if text is None:
        return get_activation(args.activation or "smoolu")
    if args.activation:
        raise InputError("give either --activation or --activation-expr, not both")
    from symland.expr import expr_activation

    return expr_activation(text)


def _recheck(args) -> int:
    from proofs_check.recheck.cli import RecheckInputError, run as recheck_file

    try:
        return recheck_file(args.file, args.json, strict=args.strict)
    except RecheckInputError as exc:  # the kernel's own error type: one line, exit 2 like every bad input
        raise InputError(str(exc)) from None


def _read_point(path: str) -> dict:
    from symland.io.data import MAX_POINT_BYTES, read_json_value

    obj = read_json_value(path, "point file (JSON)", MAX_POINT_BYTES)
    if not isinstance(obj, dict) or not all(isinstance(k, str) for k in obj):
        raise InputError(f"{path}: a point file is a JSON object {{parameter name: value}}")
    return obj


def _instance(args, data) -> Instance:
    from symland.networks.network import mlp
    from symland.networks.problem import Problem
    from symland.point import PointSpec
    from symland.sigma.activations import get_activation

    from proofs_check.instance import Instance

    dag = None
    if getattr(args, "network", None):
        from symland.networks.dag import load_dag

        if args.widths:
            raise InputError("give either --network or --widths, not both")
        if args.no_bias:
            raise InputError("--no-bias is for --widths networks; a --network file names its own biases")
        if getattr(args, "activation_expr", None):
            raise InputError("--activation-expr cannot be combined with --network: the network file names its σ "
                             "(key \"activation\")")
        dag = load_dag(args.network)
        if args.activation and get_activation(args.activation) != dag.activation:
            raise InputError(f"--activation {args.activation} differs from the network file's "
                             f"{dag.activation.name}")
        if dag.p != data.p or dag.l != data.l:
            raise ShapeError(f"the network has {dag.p} inputs and {dag.l} outputs but the data have "
                             f"p = {data.p}, ℓ = {data.l}")
    sigma = dag.activation if dag else _activation(args)
    widths = args.widths or (data.p, getattr(args, "hidden", None) or data.d, data.l)
    if widths[0] != data.p:
        raise ShapeError(f"--widths starts with {widths[0]} but the data have p = {data.p} inputs")
    if widths[-1] != data.l:
        raise ShapeError(f"--widths ends with {widths[-1]} but the data have ℓ = {data.l} outputs")
    point = spec = None
    if getattr(args, "point", None):
        raw = _read_point(args.point)
        prob = Problem(dag or mlp(widths, sigma, bias=not args.no_bias), data)
        # validate now (exit 2 early); a big fraction stays a Quotient (no gcd: a 300,000-bit one costs 25 ms), which
        # the given-mod-p route uses as it is and the other routes bring to lowest terms once (Request.given_values)
        parsed = prob.parse_point(prob.network.vector(raw, source=args.point), quotients=True)
        point = tuple(sorted((k, str(v)) for k, v in raw.items()))
        spec = PointSpec.given(parsed)  # the engine reads the values parsed here
    inst = Instance(Path(args.data).stem, data, sigma, widths=None if dag else widths, point=point,
                    tier=getattr(args, "tier", "auto"), dag=dag, bias=not args.no_bias, spec=spec)
    if inst.tier in ("exact", "symbolic"):  # refuse what exact arithmetic cannot finish (auto plans around it)
        from symland.tiers.budget import DEFAULT_TIMEOUT, check_size, estimate_for

        # refused: what cannot finish within --timeout (a short one is left to the deadline: inconclusive)
        check_size(estimate_for(inst.network(), data, point=dict(point) if point else None),
                   max_seconds=max(getattr(args, "timeout", None) or DEFAULT_TIMEOUT, 60.0))
    return inst


def _run_bounded(instances, claims, ctx, progress, timeout, named=None):
    """run() claim by claim; with a timeout, what did not finish becomes inconclusive. (certs, expired)"""
    from symland.tiers.budget import run_until

    from proofs_check.claims import plan, resolve
    from proofs_check.instance import Timer, inconclusive

    if timeout is None:
        return run(instances, claims, ctx=ctx, progress=progress), False
    plan(ctx, instances, claims)  # claim by claim below: the one analysis per point still serves them all
    tasks = [((cid, inst), lambda cid=cid, inst=inst: run([inst], [cid], ctx=ctx, progress=progress)[0])
             for inst in instances for cid in resolve(claims or inst.claims)]
    certs, expired = run_until(tasks, timeout, lambda key, why: inconclusive(key[0], key[1], [], Timer(), why),
                               named=named)
    return CertificateList(certs), expired


def _verify(args) -> int:
    import time

    from symland.tiers.budget import deadline

    from proofs_check.claims import resolve
    from proofs_check.instance import Context
    from proofs_check.instances import default_instances

    start = time.monotonic()
    with deadline(args.timeout):  # reading the input and σ (sympy on --activation-expr) is bounded too
        claims = resolve(args.claim or (GENERAL if args.network else None))
        if args.max_prec < args.prec:
            raise InputError(f"--max-prec {args.max_prec} is below --prec {args.prec}")
        if args.plot:
            plot_dir(args.plot)
        if args.data:
            data = load_dataset(args.data)
            data.require_distinct()  # every claim assumes distinct x_i (§2): such data cannot be used, exit 2
            instances = [_instance(args, data)]
        else:
            instances = default_instances()
    chosen = claims if (args.claim or args.data) else None
    bar = ProgressBar.for_run(instances, chosen, enabled=(not args.quiet) and sys.stderr.isatty())
    ctx = Context(prec=args.prec, max_prec=args.max_prec, dps=args.dps, time_budget=args.time_budget or args.timeout,
                  progress=bar.note)
    if args.tier != "auto":  # the built-in instances too, when a tier is asked for
        from dataclasses import replace

        instances = [replace(inst, tier=args.tier) for inst in instances]
    try:
        left = max(args.timeout - (time.monotonic() - start), 1e-3)
        certs, expired = _run_bounded(instances, chosen, ctx, bar.step, left, named=args.timeout)
    finally:
        bar.close()
    if args.data:  # your data: the paper predicts no verdict for it (no "expected", no "not as expected")
        from dataclasses import replace

        certs = CertificateList([replace(c, expected=None) for c in certs])
    if not args.data and not expired:
        from proofs_check.commands.explain import rows

        extra = [c for c in rows(ctx) if not args.claim or c.claim in claims]
        certs = CertificateList(list(certs) + extra)
    import shutil

    width = max(100, min(160, shutil.get_terminal_size((100, 24)).columns))
    print(certs.to_json() if args.json else format_table(certs, width=width))
    from proofs_check.commands.exit_status import exit_status

    status = exit_status(certs, asked_tier=args.tier, builtin=not args.data)
    if args.plot:
        try:
            from symland.plots import write_verify_figures

            with deadline(args.timeout):
                said: list = []
                paths = write_verify_figures(list(instances) + list(certs), args.plot, warnings=said)
        except ImportError as exc:
            raise InputError(f"--plot needs matplotlib ({exc}); pip install 'symland[notebooks]'") from None
        except OSError as exc:
            raise InputError(f"--plot {args.plot}: cannot write the figures ({exc.strerror or exc})") from None
        except SymlandError:
            raise
        except (OverflowError, ValueError) as exc:  # data beyond what a float figure can show: the rows stand
            print(f"symland: --plot {args.plot}: no figures, the values cannot be drawn in floating point "
                  f"({str(exc).splitlines()[0][:80]})", file=sys.stderr)
            return status
        print(f"symland: wrote {len(paths)} figures to {args.plot}", file=sys.stderr)
        for line in said:  # the figures' own float64 warnings, in words
            print(f"symland: warning: {line}", file=sys.stderr)
    return status


def _construct(args) -> int:
    data = load_dataset(args.data)
    if args.no_bias:
        raise InputError("cannot construct without biases: Lemma 3.3 sets the midpoint biases "
                         "b_j = (a·x_{j−1} + a·x_j)/2 (drop --no-bias)")
    from dataclasses import replace

    from symland.tiers.plan import plan

    from proofs_check.instance import Context

    inst = _instance(argparse.Namespace(**{**vars(args), "tier": "auto"}), data)  # no size guard: no J_H is built
    tier, why = args.tier, f"--tier {args.tier}"
    if tier == "auto":  # the one chooser, on the construction's own cost
        p = plan(inst.network_widths, data, inst.activation, claim="construct", budget=args.time_budget,
                 bias=inst.bias, a=inst.a, gap=inst.gap)
        tier, why = p.tier, p.reason
    inst = replace(inst, tier=tier)
    ctx = Context(prec=args.prec, max_prec=args.max_prec, dps=args.dps, claim="construct")
    from proofs_check.claims import lem_3_3

    cert = lem_3_3.check(inst, ctx) if len(inst.network_widths) == 3 else None
    if cert is not None and cert.verdict == "hypothesis-fails":
        raise InputError(f"cannot construct: {cert.evidence}")
    it = ctx.construction(inst)
    s = it.kind.to_str
    out = {"widths": list(it.network.widths), "activation": inst.activation.name, "tier": it.kind.name, "why": why,
           "params": {k: s(v) for k, v in it.named_params().items()},
           "a": [str(v) for v in it.a], "b": [s(v) for v in it.biases],
           "A": [[s(v) for v in row] for row in it.A], "order": [i + 1 for i in it.order],
           "m": [s(v) for v in it.m]}
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        out = abbreviated(out)
        print(f"network {','.join(map(str, out['widths']))} with σ = {out['activation']}, "
              f"f(x) = Σ_j m_j σ(a·x − b_j); tier {out['tier']} ({why})")
        print(f"a = ({', '.join(out['a'])}); data rows in increasing a·x: {out['order']}")
        print("b = (" + ", ".join(out["b"]) + ")")
        print("A (lower triangular):")
        for row in out["A"]:
            print("  [" + ", ".join(row) + "]")
        print("m = A⁻¹y = (" + ", ".join(out["m"]) + ")")
        for k, v in out["params"].items():
            print(f"  {k} = {v}")
    return 0


def _inspect(args) -> int:
    from proofs_check.commands import inspect_cmd

    return inspect_cmd.run(args, _instance(args, load_dataset(args.data)))


def _explain(args) -> int:
    from proofs_check.commands.explain import explain, rows

    if args.json:
        certs = rows()
        print(certs.to_json())
        return 0 if certs.all_ok else 1
    print(explain())
    return 0


def _train(args) -> int:
    from proofs_check.commands.train_cmd import run as train

    return train(args)


def _sweep(args) -> int:
    from proofs_check.commands.sweep_cmd import run as run_sweep

    return run_sweep(args)


def _proof(args) -> int:
    from proofs_check.commands.proof_cmd import run as write_proof

    return write_proof(args)


def _claims(_args) -> int:
    from proofs_check.claims import TITLES

    for cid in ALL_IDS:
        print(f"{cid:9} {TITLES.get(cid, '(planned)')}")
    for cid in GLOBAL_IDS:  # opt-in: not in the default run
        print(f"{cid} {TITLES[cid]} [opt-in: --claim {cid}; needs pip install 'symland[global]']")
    return 0


def _certify(args) -> int:
    from proofs_check.commands.certify_cmd import run_cli

    return run_cli(args)


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["verify"])
    except SystemExit as exc:  # --help, or a usage error already printed as one line
        return int(exc.code or 0)
    handlers = {"verify": _verify, "construct": _construct, "inspect": _inspect, "explain": _explain,
                "claims": _claims, "recheck": _recheck, "train": _train, "certify": _certify, "sweep": _sweep,
                "proof": _proof}
    from symland.tiers.budget import DEFAULT_TIMEOUT

    args.timeout = args.timeout or DEFAULT_TIMEOUT
    try:
        # verify and certify turn unfinished checks into inconclusive rows, sweep bounds each instance: they
        # apply --timeout themselves
        return guarded(args.command, args.timeout, lambda: handlers[args.command](args),
                       own_deadline=args.command in ("verify", "certify", "sweep"))
    except KeyboardInterrupt:  # pragma: no cover
        print("symland: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
