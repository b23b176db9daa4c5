"""Rank and inertia at any point, over every tier, each with what supports it.

Exact (rationals): the inertia of a symmetric S by a congruence P·S·Pᵀ = diag(D) (Sylvester's law,
:func:`symland.linear.linalg.inertia`) and, independently, by χ(x) = det(xI − S): the multiplicity of the root 0,
and Descartes' rule of signs on χ(x)/x^zero (every root of a symmetric matrix is real, so the sign
count is exact).

Exact over Q[e^Q] (smooLU values): the same Descartes count on χ computed division-free-but-for-integers
(Faddeev–LeVerrier: M_k = S·M_{k−1} + c_{n−k+1} I, c_{n−k} = −tr(S·M_k)/k); the coefficients are elements
of Q[e^Q], whose zero test is exact (Lindemann–Weierstrass) and whose signs Arb decides.

Balls: a congruence to Λ + E (float eigenvectors, certified nonsingular) and Weyl's inequality with
‖E‖_F computed in Arb: an eigenvalue farther than ‖E‖_F from 0 has a certified sign, the others only
bound the inertia (Arb's own ``eig`` fails to isolate clustered eigenvalues such as the n − d zeros). A rank
lower bound is a square minor, chosen by full pivoting on the midpoints, whose ball determinant (or
‖I − R·S‖∞ < 1) excludes singularity; the upper bound min(m, n) is all balls can say below full rank.

mp and float: eigenvalues and singular values with a tolerance; counts relative to it, ``numerical``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Inertia", "exact_inertia", "exact_charpoly", "exppoly_inertia", "exppoly_rank", "ball_inertia", "ball_rank",
           "float_inertia", "mp_inertia", "float_spectrum", "CHARPOLY_LIMIT", "CONGRUENCE_LIMIT"]

#: χ over Q[e^Q] by Faddeev–LeVerrier is attempted up to this n (n matrix products of exponential sums).
CHARPOLY_LIMIT = 30
#: The rational congruence (O(n³) big-integer steps, ~50 s at n = 400) is added up to this n.
CONGRUENCE_LIMIT = 120


@dataclass(frozen=True)
class Inertia:
    """(positive, negative, zero) known to lie between ``lower`` and ``upper`` (equal when decided)."""

    lower: tuple[int, int, int]
    upper: tuple[int, int, int]
    strength: str  # proved | certified | numerical
    method: str
    witness: dict = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return self.lower == self.upper

    @property
    def value(self) -> tuple[int, int, int] | None:
        return self.lower if self.decided else None


def _descartes(signs: list[int]) -> tuple[int, int]:
    """(zero multiplicity, sign changes) of a polynomial given its coefficient signs, lowest degree first."""
    zero = next((i for i, s in enumerate(signs) if s != 0), len(signs))
    nz = [s for s in signs[zero:] if s != 0]
    return zero, sum(1 for a, b in zip(nz, nz[1:]) if a != b)


def exact_inertia(S) -> Inertia:
    """Rational symmetric S: charpoly + Descartes and, up to :data:`CONGRUENCE_LIMIT`, a congruence (witness: D).

    Both are proofs; when both run they must agree.
    """
    from symland.linear import linalg
    by_charpoly = linalg.inertia_charpoly(S)
    w = {"charpoly_descartes": list(by_charpoly)}
    how = "χ(x) = det(xI − S) exactly: multiplicity of the root 0 and Descartes' rule of signs"
    if len(S) <= CONGRUENCE_LIMIT:
        cert = linalg.inertia(S)
        if by_charpoly != cert.signature:  # pragma: no cover - two exact proofs cannot disagree
            raise AssertionError(f"congruence {cert.signature} and Descartes {by_charpoly} disagree")
        w["congruence_diagonal"] = [str(v) for v in cert.diagonal]
        if len(cert.diagonal) <= 20:
            w["congruence"] = [[str(v) for v in row] for row in cert.congruence]
        how = "P·S·Pᵀ = diag(D) exactly (Sylvester's law) and, independently, " + how
    return Inertia(by_charpoly, by_charpoly, "proved", how, w)


def exact_charpoly(kind, S) -> list:
    """χ(x) = det(xI − S) over an exact kind, coefficients lowest degree first (Faddeev–LeVerrier:
    M_k = S·M_{k−1} + c_{n−k+1} I, c_{n−k} = −tr(S·M_k)/k — ring operations and division by integers only)."""
    n = len(S)
    zero, one = kind.const(0), kind.const(1)
    coeffs = [zero] * (n + 1)  # coeffs[k] multiplies x^k
    coeffs[n] = one
    M = [[zero] * n for _ in range(n)]
    for k in range(1, n + 1):
        c = coeffs[n - k + 1]
        M = [[v + (c if i == j else zero) for j, v in enumerate(row)] for i, row in enumerate(M)]
        SM = kind.matmul(S, M)
        tr = zero
        for i in range(n):
            tr = tr + SM[i][i]
        coeffs[n - k] = -tr / k
        M = SM
    return coeffs


def exppoly_inertia(kind, S) -> Inertia | None:
    """Symmetric S over Q[e^Q]: Descartes on the exact characteristic polynomial; None when n > CHARPOLY_LIMIT."""
    n = len(S)
    if n > CHARPOLY_LIMIT:
        return None
    signs = [kind.sign(c) for c in exact_charpoly(kind, S)]
    z, pos = _descartes(signs)
    got = (pos, n - z - pos, z)
    return Inertia(got, got, "proved", "χ(x) = det(xI − S) exactly in Q[e^Q] (Faddeev–LeVerrier): multiplicity "
                   "of 0 by the exact zero test, Descartes' rule of signs, signs by Arb enclosures",
                   {"charpoly_signs": signs})


def exppoly_rank(kind, J) -> int | None:
    """rank J over Q[e^Q] ⊂ ℝ, exactly: rank J = rank J Jᵀ = m − (multiplicity of the root 0 of χ_{JJᵀ}),
    J Jᵀ being symmetric (diagonalizable); None when m > CHARPOLY_LIMIT."""
    m = len(J)
    if m == 0 or m > CHARPOLY_LIMIT:
        return None
    G = kind.matmul(J, [list(col) for col in zip(*J)])
    coeffs = exact_charpoly(kind, G)
    return m - next(i for i, c in enumerate(coeffs) if not kind.is_zero(c))


def ball_inertia(S) -> Inertia:
    """Arb ball symmetric S: certified signs of the eigenvalues well away from 0, bounds otherwise.

    With X the float eigenvectors of the midpoint (X certified nonsingular), T = Xᵀ S X is congruent to S,
    so has its inertia (Sylvester); T = Λ + E with Λ = diag(λ) the float eigenvalues, and by Weyl every
    eigenvalue of T lies within ‖E‖₂ ≤ ‖E‖_F of the matching λ_i (both sorted). λ_i > ‖E‖_F certifies a
    positive eigenvalue, λ_i < −‖E‖_F a negative one; the rest are undecided (among them every zero).
    """
    from flint import arb, arb_mat

    from symland.linear.certify import certify_nonsingular

    n = len(S)
    if n == 0:
        return Inertia((0, 0, 0), (0, 0, 0), "certified", "empty matrix")
    sym = arb_mat([[(S[i][j] + S[j][i]) / 2 for j in range(n)] for i in range(n)])  # contains the exact S
    undecided = Inertia((0, 0, 0), (n, n, n), "certified", "no eigenvector basis certified nonsingular; raise --prec")
    F = np.array([[float(sym[i, j].mid()) for j in range(n)] for i in range(n)])
    if not np.all(np.isfinite(F)):
        return undecided
    lam, Q = np.linalg.eigh((F + F.T) / 2)
    X = arb_mat(Q.tolist())
    if certify_nonsingular(X) is None:
        return undecided
    T = X.transpose() * sym * X
    acc = arb(0)
    for i in range(n):
        for j in range(n):
            e = T[i, j] - (arb(float(lam[i])) if i == j else 0)
            acc += e * e
    eps = acc.sqrt().upper()
    pos = sum(1 for v in lam if arb(float(v)) > eps)
    neg = sum(1 for v in lam if arb(float(v)) < -eps)
    und = n - pos - neg
    w = {"weyl_radius": eps.str(3, radius=False), "float_eigenvalues": [float(v) for v in lam], "undecided": und}
    how = (f"S congruent to Xᵀ S X = Λ + E (X float eigenvectors, certified nonsingular; Sylvester), Weyl: "
           f"|λ_i − λ_i(Λ)| ≤ ‖E‖_F ≤ {eps.str(3, radius=False)}: {pos} certified > 0, {neg} certified < 0"
           + (f", {und} within the radius of 0" if und else ""))
    return Inertia((pos, neg, 0), (pos + und, neg + und, und), "certified", how, w)


def _full_pivot(F: np.ndarray, tol: float) -> tuple[list, list]:
    """Rows and columns of a well-conditioned-looking square minor, by Gaussian elimination with full pivoting."""
    G = F.copy()
    rows, cols = [], []
    for _ in range(min(G.shape)):
        i, j = np.unravel_index(int(np.argmax(np.abs(G))), G.shape)
        if not np.isfinite(G[i, j]) or abs(G[i, j]) <= tol:
            break
        rows.append(int(i))
        cols.append(int(j))
        G -= np.outer(G[:, j] / G[i, j], G[i])
        G[i, :] = 0
        G[:, j] = 0
    return rows, cols


def ball_rank(M) -> tuple[int, int, dict]:
    """(lower, upper, witness) for the rank of the ball matrix M (list of rows): lower certified by a minor."""
    from flint import arb_mat

    from symland.linear.certify import certify_nonsingular

    m, n = len(M), (len(M[0]) if M else 0)
    if m == 0 or n == 0:
        return 0, 0, {"method": "empty matrix"}
    F = np.array([[float(x.mid()) for x in row] for row in M])
    scale = np.max(np.abs(F)) if F.size else 0.0
    if not np.isfinite(scale) or scale == 0:
        return 0, min(m, n), {"method": "no entry certified ≠ 0"}
    rows, cols = _full_pivot(F / scale, 1e-14)
    while rows:
        S = arb_mat([[M[i][j] for j in cols] for i in rows])
        beta = certify_nonsingular(S)
        det = None if beta is not None else S.det()
        if beta is not None or det > 0 or det < 0:
            r = len(rows)
            how = (f"‖I − R·S‖∞ ≤ {beta.upper().str(3, radius=False)} < 1" if beta is not None
                   else f"det S ∈ {det.str(5, radius=True)} ∌ 0")
            return r, (r if r == min(m, n) else min(m, n)), {
                "minor": {"rows": sorted(rows), "cols": sorted(cols)},
                "method": f"the {r}×{r} minor S on pivot-chosen rows and columns is nonsingular: {how}"}
        rows, cols = rows[:-1], cols[:-1]
    return 0, min(m, n), {"method": "no minor certified nonsingular"}


def float_spectrum(S: np.ndarray) -> tuple[np.ndarray, float]:
    """Eigenvalues (ascending) of the float64 symmetric S and the tolerance n·ε·max|λ| below which λ counts as 0."""
    S = np.asarray(S, dtype=float)
    if S.size == 0:
        return np.zeros(0), 0.0
    lam = np.linalg.eigvalsh((S + S.T) / 2)
    tol = S.shape[0] * np.finfo(float).eps * max(float(np.max(np.abs(lam))), 1e-300)
    return lam, float(tol)


def float_inertia(S: np.ndarray) -> tuple[Inertia, np.ndarray, float]:
    lam, tol = float_spectrum(S)
    pos, neg = int(np.sum(lam > tol)), int(np.sum(lam < -tol))
    got = (pos, neg, lam.size - pos - neg)
    small = lam[np.abs(lam) <= tol]
    big = np.abs(lam[np.abs(lam) > tol])
    gap = (float(big.min()) / tol) if big.size and tol else float("inf")
    w = {"tolerance": tol, "smallest_nonzero_abs": float(big.min()) if big.size else None, "gap": gap,
         "largest_counted_zero_abs": float(np.max(np.abs(small))) if small.size else None}
    return Inertia(got, got, "numerical", f"float64 eigenvalues, |λ| ≤ tolerance {tol:.2e} counted 0 "
                   f"(gap: smallest |λ| kept / tolerance = {gap:.2e})", w), lam, tol


def mp_inertia(S, mpctx) -> tuple[Inertia, list, object]:
    n = len(S)
    if n == 0:
        return Inertia((0, 0, 0), (0, 0, 0), "numerical", "empty matrix"), [], mpctx.mpf(0)
    A = mpctx.matrix([[(S[i][j] + S[j][i]) / 2 for j in range(n)] for i in range(n)])
    lam = sorted(mpctx.eigsy(A, eigvals_only=True))
    tol = mpctx.mpf(10) ** (-(mpctx.dps // 2)) * max(max(abs(v) for v in lam), 1)
    pos, neg = sum(1 for v in lam if v > tol), sum(1 for v in lam if v < -tol)
    got = (pos, neg, n - pos - neg)
    return Inertia(got, got, "numerical", f"mpmath eigenvalues at {mpctx.dps} digits, |λ| ≤ "
                   f"{mpctx.nstr(tol, 3)} counted 0", {"tolerance": float(tol)}), lam, tol
