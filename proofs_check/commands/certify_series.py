"""``symland certify`` along training: several checkpoints (files, or a directory), one row per checkpoint.

Per checkpoint: L(m) (the Arb enclosure from the file's exact weights), the certified bracket for dist(m, M) (ℓ₂),
the rank of J_H and the inertia of Hess L at the certified point m* (as the certificates establish them), the
verdicts — as a table, JSON lines (``--json``: one object per checkpoint) and one figure (``--plot DIR``: the
distance bracket and L(m) against the step, log scale). The step is the last integer in the file name
(``ckpt_1200.safetensors`` → 1200; files without one are numbered in name order). "Which epoch reached M?" — the
first row whose verdicts are positive, with the bracket saying how close.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from dataclasses import dataclass

from symland.errors import InputError

__all__ = ["checkpoints", "certify_series", "is_series", "run_series", "refuse_too_large", "SeriesRow",
           "series_table", "series_figure", "MODEL_EXTENSIONS"]

MODEL_EXTENSIONS = (".npz", ".safetensors", ".pt", ".pth")
_INT = re.compile(r"(\d+)")


def _step(path: str) -> int | None:
    found = _INT.findall(os.path.splitext(os.path.basename(path))[0])
    return int(found[-1]) if found else None


def checkpoints(paths) -> list[str]:
    """Model files from ``paths`` (files, or directories whose model files are taken), ordered by step."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            inside = sorted(os.path.join(p, f) for f in os.listdir(p) if f.lower().endswith(MODEL_EXTENSIONS))
            if not inside:
                raise InputError(f"{p}: a directory without model files ({', '.join(MODEL_EXTENSIONS)})")
            files += inside
        elif os.path.isfile(p):
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return sorted(dict.fromkeys(files), key=lambda f: (_step(f) is None, _step(f) or 0, f))


@dataclass
class SeriesRow:
    path: str
    step: int
    report: object  # ModelReport

    @property
    def rank(self) -> int | None:
        c = next((c for c in self.report.certificates if c.claim == "thm-2.1"), None)
        if c is None or c.verdict not in ("proved", "certified"):
            return None
        r = c.witness.get("rank")
        return r.get("lower") if isinstance(r, dict) else None

    def to_json_obj(self) -> dict:
        rep = self.report
        lo, up = rep.bracket("l2")
        loi, upi = rep.bracket("linf")
        loss = rep.loss_at_model
        return {"checkpoint": self.path, "step": self.step,
                "loss_at_model": loss if math.isfinite(loss) else None,
                "loss_at_model_enclosure": None if rep.loss_ball is None else rep.loss_ball.str(6, radius=True),
                "distance_l2": {"lower": lo, "upper": up}, "distance_linf": {"lower": loi, "upper": upi},
                "rank": self.rank, "inertia": rep.inertia,
                "verdicts": {c.claim: c.verdict for c in rep.certificates}}


def certify_series(paths, data, activation=None, *, trust_pickle: bool = False, progress=True, refuse=None,
                   **kw) -> list:
    """certify on every checkpoint (``kw``: certify_model's options, e.g. ``timeout`` per checkpoint);
    ``refuse(model)``: raises for a model too large to certify (the CLI's size guard), before any work on it."""
    from symland.io.models import load_model

    from proofs_check.commands.certify_model import certify_model

    files = checkpoints(paths)
    rows = []
    for i, f in enumerate(files):
        model = load_model(f, activation, trust_pickle=trust_pickle)
        if refuse is not None:  # before the progress line: a refusal is the command's one line
            refuse(model)
        if progress:
            print(f"symland: checkpoint {i + 1}/{len(files)}: {f}", file=sys.stderr, flush=True)
        step = _step(f)
        rep = certify_model(model, data, **kw)
        rows.append(SeriesRow(f, step if step is not None else i, rep))
    return rows


def _e(v) -> str:
    return "—" if v is None else f"{v:.3e}"


def series_table(rows) -> str:
    head = f"{'step':>8}  {'L(m) (Arb, upper)':>17}  {'dist₂ lower':>11}  {'dist₂ upper':>11}  {'rank':>5}  " \
           f"{'inertia (n₊, n₋, n₀)':>20}  verdicts"
    out = [head, "-" * len(head)]
    for r in rows:
        rep = r.report
        lo, up = rep.bracket("l2")
        loss = float(rep.loss_ball.upper()) if rep.loss_ball is not None else None
        inertia = "—" if rep.inertia is None else "(" + ", ".join(map(str, rep.inertia)) + ")"
        verdicts = ", ".join(f"{c.claim} {c.verdict}" for c in rep.certificates)
        rank = r.rank if r.rank is not None else "—"
        out.append(f"{r.step:>8}  {_e(loss):>17}  {_e(lo):>11}  {_e(up):>11}  {rank:>5}  {inertia:>20}  {verdicts}")
    first = next((r for r in rows if r.report.ok), None)
    out.append(f"first checkpoint with a certified point of M within --max-distance: step {first.step}" if first
               else "no checkpoint has a certified point of M within --max-distance")
    return "\n".join(out)


def series_figure(rows):
    """dist(m, M) (the certified bracket as a band, ℓ₂) and L(m) against the step, log scale."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    steps = [r.step for r in rows]
    lo = [r.report.bracket("l2")[0] for r in rows]
    up = [r.report.bracket("l2")[1] for r in rows]
    loss = [float(r.report.loss_ball.upper()) if r.report.loss_ball is not None else float("nan") for r in rows]
    pos = lambda v: v if v is not None and v > 0 else float("nan")  # noqa: E731 -- log scale: no 0, no None
    ax.plot(steps, [pos(v) for v in up], "o-", color="C0", label="dist₂(m, M) upper (certified)")
    ax.plot(steps, [pos(v) for v in lo], "v--", color="C0", alpha=0.7, label="dist₂(m, M) lower (certified)")
    ax.plot(steps, [pos(v) for v in loss], "s-", color="C3", label="L(m) (Arb enclosure, upper end)")
    ax.set_yscale("log")
    ax.set_xlabel("training step (from the file name)")
    ax.set_title("distance to M and loss along training")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def is_series(models) -> bool:
    """Several files, or a directory: a series of checkpoints."""
    return len(models) > 1 or os.path.isdir(models[0])


def refuse_too_large(network, data, timeout) -> None:
    """TooLargeError (one line, exit 2) when certify is predicted beyond 6 GiB or beyond --timeout (≥ 60 s)
    (:func:`symland.tiers.cost.certify_estimate`)."""
    from symland.tiers.budget import DEFAULT_TIMEOUT
    from symland.tiers.cost import certify_estimate, check_size

    check_size(certify_estimate(network, data), max_seconds=max(timeout or DEFAULT_TIMEOUT, 60.0))


def run_series(args) -> int:
    from symland.errors import InputError as _InputError
    from symland.io.data import load_dataset

    if args.max_distance is not None and not (args.max_distance > 0):
        raise _InputError(f"--max-distance must be positive, got {args.max_distance}")
    data = load_dataset(args.data)
    rows = certify_series(args.model, data, args.activation, trust_pickle=args.trust_pickle, tier=args.tier,
                          prec=args.prec, max_prec=args.max_prec, timeout=args.timeout,
                          max_distance=args.max_distance,
                          refuse=lambda model: refuse_too_large(model.network, data, args.timeout))
    if args.json:
        for r in rows:
            print(json.dumps(r.to_json_obj(), allow_nan=False))
    else:
        print(series_table(rows))
    if args.plot:
        from pathlib import Path

        Path(args.plot).mkdir(parents=True, exist_ok=True)
        path = Path(args.plot) / "series.png"
        series_figure(rows).savefig(path, dpi=110)
        print(f"symland: wrote {path}", file=sys.stderr)
    return 0 if all(r.report.ok for r in rows) else 1
