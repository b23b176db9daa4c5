"""Full row rank of a matrix of Arb balls (certified) or of mpmath numbers (numerical), with witnesses.

A float approximation of the matrix only *chooses* the witness: d columns by Gaussian elimination
with pivoting (largest entry of the current row). The decision is Arb's: if the determinant of the
d × d ball minor excludes 0, every real matrix inside the balls — the exact J_H(m) among them — has
that minor nonsingular, so rank = d. A re-checker needs only the column indices.

>>> from flint import arb, fmpq
>>> M = [[arb(1), arb(2), arb(0)], [arb(0), arb(fmpq(1, 3)), arb(0)]]
>>> c = certify_full_row_rank(M)
>>> c.rank, c.cols, c.how
(2, (0, 1), 'norm')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from flint import arb, arb_mat

__all__ = ["BallRank", "choose_minor", "triangular_order", "certify_nonsingular", "certify_full_row_rank",
           "mp_full_row_rank"]


@dataclass(frozen=True)
class BallRank:
    """rank ≥ ``rank`` certified by the ball determinant of the minor (rows all, columns ``cols``)."""

    rank: int
    rows: int
    cols: tuple
    det: str  # the determinant's enclosure, as Arb prints it
    prec: int
    how: str = "det"  # "det": ball determinant ∌ 0; "norm": ‖I − R·S‖∞ < 1; "triangular": Π pivots

    @property
    def method(self) -> str:
        if self.how == "triangular":
            return (f"the {self.rows}×{self.rows} minor S on the given columns is triangular up to permutation "
                    f"(exact zeros on one side, pivots certified ≠ 0): det S {self.det} ≠ 0 ({self.prec} bits)")
        if self.how == "norm":
            return (f"the {self.rows}×{self.rows} minor S on pivot-chosen columns is nonsingular: {self.det} "
                    f"for R ≈ S⁻¹ (Arb, {self.prec} bits)")
        return (f"the {self.rows}×{self.rows} minor on columns chosen by pivoting has determinant "
                f"{self.det} ∌ 0 at {self.prec} bits")


def _row_scaled_float(M) -> np.ndarray | None:
    """Float midpoints with each row scaled so its largest entry is about 1; None if a row is all zero.

    Plain conversion when it neither underflows nor overflows; else by exponents (entries such as
    smooLU's e^(−1/t) at tiny t are far below the float range but fine as balls).
    """
    out = np.array([[float(x.mid()) for x in row] for row in M], dtype=float) if M else np.zeros((0, 0))
    norms = np.max(np.abs(out), axis=1) if out.size else np.zeros(0)
    if np.all(np.isfinite(norms)) and np.all(norms > 1e-280) and np.all(norms < 1e280):
        return out / norms[:, None]
    for i, row in enumerate(M):
        mids = [x.mid() for x in row]
        mans = [(int(m.man_exp()[0]), int(m.man_exp()[1])) if not m.is_zero() else (0, 0) for m in mids]
        tops = [e + man.bit_length() for man, e in mans if man]
        if not tops:
            return None
        shift = max(tops)
        for j, (man, e) in enumerate(mans):
            if man:
                drop = max(man.bit_length() - 60, 0)
                out[i, j] = math.ldexp(float(man >> drop if man > 0 else -((-man) >> drop)), e + drop - shift)
            else:
                out[i, j] = 0.0
    return out


def choose_minor(F: np.ndarray) -> tuple | None:
    """d column indices of F (d × n) whose minor looks nonsingular in floating point, or None."""
    d, _ = F.shape
    live = np.flatnonzero(np.any(F != 0, axis=0))
    if live.size < d:
        return None
    G = F[:, live].copy()
    chosen = []
    for k in range(d):
        row = np.abs(G[k])
        if chosen:
            row[chosen] = 0
        j = int(np.argmax(row))
        piv = G[k, j]
        if piv == 0 or not np.isfinite(piv):
            return None
        chosen.append(j)
        if k + 1 < d:
            G[k + 1:] -= np.outer(G[k + 1:, j] / piv, G[k])
    return tuple(sorted(int(live[j]) for j in chosen))


def certify_nonsingular(S: arb_mat, R: arb_mat | None = None) -> arb | None:
    """An upper bound β < 1 on ‖I − R·S‖_∞ for an exact (midpoint) approximate inverse R, or None.

    β < 1 makes R·S, hence S, nonsingular (every matrix inside the balls). Unlike a ball determinant
    by elimination, whose radii grow with the size, this needs no more precision than S's entries.
    R (any exact matrix: only chooses) defaults to the inverse of S's midpoints.
    """
    d = S.nrows()
    if R is None:
        try:
            R = S.mid().inv().mid()
        except ZeroDivisionError:
            return None
    E = R * S
    worst = arb(0)
    for i in range(d):
        acc = arb(0)
        for j in range(d):
            e = E[i, j] - 1 if i == j else E[i, j]
            acc += abs(e).upper()
        worst = worst.max(acc) if i else acc
    return worst if worst < 1 else None


def triangular_order(M, cols) -> list | None:
    """Pivots (row, col) making the minor on `cols` triangular, each pivot certified ≠ 0 and the entries
    on one side exactly 0 — or None. Then det = ± Π pivots ≠ 0 needs no further precision.

    Peels a row whose only entry not exactly zero (among the columns left) is certified nonzero.
    """
    d = len(M)
    if len(cols) != d:
        return None
    live = [{j for j in cols if not (row[j].is_exact() and row[j] == 0)} for row in M]
    users: dict = {j: set() for j in cols}
    for i, js in enumerate(live):
        for j in js:
            users[j].add(i)
    ready = [i for i in range(d) if len(live[i]) == 1]
    done, pivots = set(), []
    while ready:
        i = ready.pop()
        if i in done or len(live[i]) != 1:
            continue
        (j,) = live[i]
        x = M[i][j]
        if not (x > 0 or x < 0):
            return None
        pivots.append((i, j))
        done.add(i)
        for r in users[j]:
            if r not in done:
                live[r].discard(j)
                if len(live[r]) == 1:
                    ready.append(r)
                elif not live[r]:
                    return None
    return pivots if len(pivots) == d else None


def certify_full_row_rank(M, prec: int | None = None, hint=None, cols=None) -> BallRank | None:
    """A certified nonsingular d × d minor of the d × n ball matrix M, or None (not certified).

    The minor is certified by ‖I − R·S‖_∞ < 1 (:func:`certify_nonsingular`), else by its ball
    determinant excluding 0. ``cols``: use exactly these columns instead of choosing by pivoting.
    """
    from flint import ctx

    d = len(M)
    if d == 0:
        return BallRank(0, 0, (), "1", ctx.prec)
    if hint is not None:
        pivots = triangular_order(M, tuple(hint))
        if pivots is not None:
            det = arb(1)
            for i, j in pivots:
                det *= M[i][j]
            return BallRank(d, d, tuple(sorted(hint)), f"±Π pivots = ±{abs(det).str(5, radius=False)} (|det|)",
                            prec or ctx.prec, how="triangular")
    if cols is None:
        F = _row_scaled_float(M)
        cols = choose_minor(F) if F is not None else None
    else:
        cols = tuple(sorted(cols))
    if cols is None or len(cols) != d:
        return None
    S = arb_mat([[row[j] for j in cols] for row in M])
    beta = certify_nonsingular(S)
    if beta is not None:
        return BallRank(d, d, cols, f"‖I − R·S‖∞ ≤ {beta.upper().str(3, radius=False)} < 1", prec or ctx.prec,
                        how="norm")
    det = S.det()
    if not (det > 0 or det < 0):
        return None
    return BallRank(d, d, cols, det.str(radius=True), prec or ctx.prec)


def mp_full_row_rank(M, mpctx):
    """Numerical rank d of an mpmath matrix: the singular values of a pivot-chosen d × d minor.

    Returns (cols, singular values) or None; not rigorous (tier ``mp``).
    """
    d = len(M)
    scales = [max((abs(v) for v in row), default=0) or 1 for row in M]  # in mp: rows of 1e400 stay finite
    F = np.array([[float(v / c) for v in row] for row, c in zip(M, scales)])
    cols = choose_minor(F)
    if cols is None:
        return None
    minor = mpctx.matrix([[row[j] for j in cols] for row in M])
    s = mpctx.svd_r(minor, compute_uv=False)
    return cols, sorted((s[i] for i in range(d)), reverse=True)

