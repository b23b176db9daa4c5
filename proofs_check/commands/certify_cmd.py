"""``symland certify``: its options and its run (the work is :func:`proofs_check.commands.certify_model.certify_model`).

The options are set up without loading the engine (numpy, python-flint, sympy): ``symland --help`` reads them.
"""

from __future__ import annotations

import sys

__all__ = ["add_parser", "run_cli"]


def add_parser(sub, tier_help_bits, seconds) -> None:
    """``symland certify`` on the CLI's subparsers (``tier_help_bits``, ``seconds``: the CLI's argument types)."""
    p = sub.add_parser("certify", help="a trained network: its distance to M certified, thm-2.1 and prop-2.3 at "
                       "the nearest point found",
                       description="Import a trained network (.npz, .safetensors, .pt, .onnx), bracket its "
                       "distance to M (certified lower and upper bounds, ℓ₂ and ℓ∞), project it onto M over "
                       "all weights (the foot of the perpendicular) and certify a point m* ∈ M there (exact or "
                       "Arb), then Theorem 2.1 and Proposition 2.3 at m*. Exit 0 when every verdict is proved "
                       "(exact) or certified (ball), 1 otherwise, 2 on bad input.")
    p.add_argument("--model", required=True, nargs="+", metavar="FILE", help=".npz/.safetensors (0.weight, 0.bias, "
                   "… or W1, b1, …; PyTorch's W x + b; no b's at all: a bias-free network), .pt (needs torch) or .onnx "
                   "(an MLP graph; needs the models extra); "
                   "several files or a directory: checkpoints along training, one row each (step = the last number "
                   "in the file name; --json then prints JSON lines, --plot the series figure, --timeout is per "
                   "checkpoint)")
    p.add_argument("--data", required=True, metavar="FILE", help="the training data (CSV or JSON, exact values)")
    p.add_argument("--activation", metavar="NAME", help="σ, when the file does not name it (must agree if it does)")
    p.add_argument("--tier", default="auto", choices=("auto", "exact", "ball"),
                   help="exact rationals (piecewise-polynomial σ; proved) or Arb balls (certified); auto chooses")
    p.add_argument("--prec", type=tier_help_bits, default=128, metavar="BITS", help="ball tier: starting precision")
    p.add_argument("--max-prec", type=tier_help_bits, default=4096, metavar="BITS",
                   help="ball tier: give up (inconclusive) above this precision")
    p.add_argument("--max-distance", type=float, metavar="X", help="certify m* only when ‖m* − m‖₂ ≤ X (default "
                   "1e-3·max(1, ‖m‖∞)); 'no point of M within X' only when the certified lower bound exceeds X")
    p.add_argument("--trust-pickle", action="store_true", help="a .pt file holding a whole pickled module (not a "
                   "state dict) is unpickled, which runs code from the file: only for files you trust")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--plot", metavar="DIR", help="write the Hessian spectra at m and at m* as PNG into DIR")
    p.add_argument("--timeout", type=seconds, metavar="SECONDS", help="stop after SECONDS (inconclusive)")


def run_cli(args) -> int:
    """``symland certify``: one model (a report) or a series of checkpoints (one row each)."""
    from symland.errors import InputError
    from symland.io.data import load_dataset
    from symland.io.models import load_model

    from proofs_check.commands.certify_model import certify_model, write_figures
    from proofs_check.commands.certify_series import is_series, refuse_too_large, run_series

    if is_series(args.model):  # checkpoints along training: one row each
        return run_series(args)
    if args.max_distance is not None and not (args.max_distance > 0):
        raise InputError(f"--max-distance must be positive, got {args.max_distance}")
    data = load_dataset(args.data)
    model = load_model(args.model[0], args.activation, trust_pickle=args.trust_pickle)
    refuse_too_large(model.network, data, args.timeout)
    report = certify_model(model, data, tier=args.tier, prec=args.prec, max_prec=args.max_prec,
                           timeout=args.timeout, max_distance=args.max_distance)
    print(report.to_json() if args.json else str(report))
    if args.plot:
        said: list = []
        paths = write_figures(report, args.plot, said)
        print(f"symland: wrote {len(paths)} figures to {args.plot}", file=sys.stderr)
        for line in said:  # the figures' own float64 warnings, in words
            print(f"symland: warning: {line}", file=sys.stderr)
    return 0 if report.ok else 1
