"""``symland train``: fit a layered network to a data file in float64 and write it as ``.npz``.

    symland train --data points.csv --widths 2,16,1 --activation tanh --out model.npz
    symland certify --model model.npz --data points.csv         # the certified point of M next to it

The file holds W1, b1, W2, b2, … (W_k of shape (out, in), f = W x + b as in PyTorch) and ``activation``;
the importer converts to symland's W x − b. Exit 0 when L < --tol was reached, 1 when training stopped
before (the file is written all the same), 2 on bad input (one line on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["add_parser", "run", "DEFAULT_TIMEOUT"]

#: Training stops after this many seconds unless --timeout says otherwise.
DEFAULT_TIMEOUT = 600.0


def add_parser(sub, widths_type, seconds_type, activation_names) -> None:
    """Register ``train`` on the subparsers of the ``symland`` command."""
    t = sub.add_parser("train", help="fit a network to your data in float64 (Levenberg–Marquardt); write .npz",
                       description="Fit mlp(widths, σ) to the data by Levenberg–Marquardt in float64 and write "
                       "the weights as .npz (W1, b1, …; f = W x + b). Exit 0 when the loss reached --tol, 1 when "
                       "training stopped before (the file is still written), 2 on bad input.")
    t.add_argument("--data", required=True, metavar="FILE", help="data set (CSV or JSON, as for verify)")
    t.add_argument("--widths", required=True, type=widths_type, metavar="P,H1,…,L", help="layer widths")
    t.add_argument("--activation", default="tanh", metavar="NAME",
                   help="activation σ (default tanh); one of: " + ", ".join(activation_names))
    t.add_argument("--out", required=True, metavar="FILE", help="where to write the model (.npz)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default 0); the run is deterministic")
    t.add_argument("--steps", type=int, default=200, metavar="N", help="at most N LM steps (default 200)")
    t.add_argument("--tol", type=float, default=1e-22, metavar="L", help="stop once the loss is below L "
                   "(default 1e-22)")
    t.add_argument("--no-bias", action="store_true", help="a network without biases (no b_k in the file)")
    t.add_argument("--timeout", type=seconds_type, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop training after SECONDS (default {DEFAULT_TIMEOUT:g})")
    t.add_argument("--json", action="store_true", help="print the result as JSON")
    t.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run(args) -> int:
    """The ``train`` command: load, check, train, save, report."""
    from symland.activations import get_activation
    from symland.data import load_dataset
    from symland.errors import InputError
    from symland.train import save_npz, train

    if args.steps < 0:
        raise InputError(f"--steps must be ≥ 0, got {args.steps}")
    if not args.tol > 0:
        raise InputError(f"--tol must be a positive number, got {args.tol}")
    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
        raise InputError(f"--out {args.out}: not a writable file path (is the directory there?)")
    sigma = get_activation(args.activation)
    data = load_dataset(args.data)
    show = not args.quiet and sys.stderr.isatty()

    def progress(step: int, loss: float, lam: float) -> None:
        print(f"\rsymland train: step {step}  L = {loss:.3e}  λ = {lam:.1e}   ", end="", file=sys.stderr,
              flush=True)

    result = train(data, args.widths, sigma, seed=args.seed, steps=args.steps, tol=args.tol,
                   bias=not args.no_bias, timeout=args.timeout, progress=progress if show else None)
    if show:
        print(file=sys.stderr)
    save_npz(result, out)
    info = {"out": str(out), "widths": list(result.widths), "activation": result.activation, "n": result.n,
            "d": data.d, "loss": result.loss, "steps": result.steps, "seconds": round(result.seconds, 3),
            "converged": result.converged, "reason": result.reason, "seed": result.seed, "method": result.method}
    empty = None
    if not result.converged and args.no_bias:  # nothing to train towards when no bias-free network fits
        from symland.networks.symmetry import empty_without_biases

        empty = empty_without_biases(sigma, data)
        info["M_empty"] = empty[1] if empty else None
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        status = "reached" if result.converged else "NOT reached"
        how = (f"after {result.steps} LM step{'s' if result.steps != 1 else ''}" if result.steps or not result.converged
               else "the least-squares start already interpolates (no LM step needed)")
        print(f"trained {','.join(map(str, result.widths))} with σ = {result.activation} on d = {data.d} points "
              f"(n = {result.n}): L = {result.loss:.3e} ({status} tol {args.tol:g}); {how}, "
              f"in {result.seconds:.2f} s; {result.reason}")
        if empty:
            print(f"no network of this shape fits these data (M is empty): {empty[1]}")
        print(f"wrote {out} (W_k of shape (out, in), f = W x + b); next: symland certify --model {out} "
              f"--data {args.data}")
    return 0 if result.converged else 1
