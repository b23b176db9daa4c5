"""Rigorous midpoint–radius matrices in float64: BLAS speed for the big products of the distance bracket.

A :class:`MidRad` holds two float64 arrays, ``mid`` and ``rad`` ≥ 0, and stands for every real matrix X with
|X − mid| ≤ rad entry by entry. Products are numpy's (BLAS) on the midpoints, with radii that bound every rounding
error a priori — the midpoint–radius interval arithmetic of Rump ("Fast and parallel interval arithmetic", BIT 39,
1999), here without switching the rounding mode, by the standard error bounds of round-to-nearest arithmetic
(Higham, *Accuracy and Stability of Numerical Algorithms*, §2.2 and §3.5):

* with no underflow, fl(a ∘ b) = (a ∘ b)(1 + δ), |δ| ≤ u = 2⁻⁵³, for ∘ ∈ {+, −, ×} (an addition whose exact result
  is subnormal is exact, so sums need no underflow term);
* an inner product of length n, summed in *any* order (blocked, with FMA, threaded — what BLAS does), satisfies
  |fl(xᵀy) − xᵀy| ≤ γ_n |x|ᵀ|y|, γ_n = nu / (1 − nu); so for nonnegative x, y, fl(xᵀy) ≥ (1 − γ_n) xᵀy.

Underflow is kept out by construction instead of bounded: every operation first *flushes* its inputs — a midpoint
below ``TINY`` = 2⁻⁴⁰⁰ in magnitude becomes 0 with its magnitude added to the radius, a nonzero radius below TINY
becomes TINY (larger radii are always safe) — so every product of two inputs, and every product of such a product
with the error constants below (≥ 2⁻⁶⁰), is at least 2⁻⁸⁶⁰, far above the smallest normal number 2⁻¹⁰²²; inputs
above ``HUGE`` = 2⁴⁰⁰ in magnitude are refused (:class:`ArithmeticError`), and so is any non-finite result, so
nothing overflows unseen. Every radius is computed as a float expression of nonnegative terms and then multiplied
by a slack factor (1 + 8u) that covers the roundings of that expression (at most four, each a factor ≥ 1 − u).

For A·B (inner dimension n): C.mid = fl(Am·Bm); the true product of any members lies within

    γ_n/(1 − γ_n) · fl(|Am|·|Bm|)  +  fl([|Am|, Ar]·[Br; fl(|Bm| + Br)]) / ((1 − γ_{2n})(1 − u))

of C.mid — the first term the rounding of Am·Bm, the second |Am|·Br + Ar·(|Bm| + Br) ≥ every product of the
deviations. ``c = (2n + 2)u / (1 − (2n + 2)u)`` dominates both ratios' excesses, so C.rad = (c·T + (1 + c)·V)(1 + 8u).

Where float64 cannot decide (a matrix too ill-conditioned for a 53-bit midpoint), the callers fall back to Arb
(python-flint ``arb_mat``); nothing here ever decides alone what Arb would refuse: every quantity is an enclosure.

>>> A = MidRad(np.array([[1.0, 2.0], [3.0, 4.0]]))
>>> C = A @ A
>>> bool(np.all(np.abs(C.mid - np.array([[7.0, 10.0], [15.0, 22.0]])) <= C.rad))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import arb, arb_mat, arf, fmpq

__all__ = ["MidRad", "from_arb", "from_arb_mat", "inverse_bound", "enclose_solve", "error_bounds", "row_sum_upper",
           "col_norm_upper",
           "U", "SLACK", "TINY"]

U = 2.0**-53
TINY = 2.0**-400
HUGE = 2.0**400
SLACK = 1.0 + 8 * U


def _gamma_c(n: int) -> float:
    """c ≥ (2n + 2)u / (1 − (2n + 2)u), computed so that rounding cannot make it smaller."""
    k = (2 * n + 2) * U
    if k >= 0.01:
        raise ArithmeticError(f"inner dimension {n} too large for float64 error bounds")
    return k / (1 - k) * SLACK


@dataclass
class MidRad:
    """Every real matrix X with |X − mid| ≤ rad (entrywise); rad defaults to 0 (mid exact)."""

    mid: np.ndarray
    rad: np.ndarray | None = None
    clean: bool = False  # already flushed (a conversion's or flushed()'s result): not checked again

    def __post_init__(self):
        self.mid = np.asarray(self.mid, dtype=np.float64)
        self.rad = np.zeros_like(self.mid) if self.rad is None else np.asarray(self.rad, dtype=np.float64)
        if self.mid.shape != self.rad.shape:
            raise ValueError("mid and rad must have one shape")

    @property
    def shape(self):
        return self.mid.shape

    @property
    def T(self) -> MidRad:
        return MidRad(self.mid.T, self.rad.T, clean=self.clean)

    def flushed(self) -> MidRad:
        """The same set, with no nonzero |mid| or rad below TINY; ArithmeticError beyond HUGE or not finite."""
        if self.clean:
            return self
        m, r = self.mid, self.rad
        if not (np.all(np.isfinite(m)) and np.all(np.isfinite(r))) or np.any(r < 0):
            raise ArithmeticError("a non-finite midpoint or radius")
        am = np.abs(m)
        if np.any(am > HUGE) or np.any(r > HUGE):
            raise ArithmeticError("an entry beyond 2^400: out of float64's safe range")
        small = (am < TINY) & (am > 0)
        if np.any(small):
            m = np.where(small, 0.0, m)
            r = (r + np.where(small, am, 0.0)) * SLACK
        r = np.where((r > 0) & (r < TINY), TINY, r)
        return MidRad(m, r, clean=True)

    def magnitude(self) -> np.ndarray:
        """An upper bound of |X| entrywise."""
        return (np.abs(self.mid) + self.rad) * SLACK

    def __matmul__(self, other: MidRad) -> MidRad:
        A, B = self.flushed(), other.flushed()
        n = A.shape[-1]
        c = _gamma_c(2 * n)
        Cm = A.mid @ B.mid
        absA = np.abs(A.mid)
        T = absA @ np.abs(B.mid)
        if np.any(A.rad) or np.any(B.rad):
            V = absA @ B.rad + A.rad @ (np.abs(B.mid) + B.rad)
        else:
            V = np.zeros_like(T)
        Cr = (c * T + (1.0 + c) * V) * SLACK
        out = MidRad(Cm, Cr)
        _check_finite(out)
        return out

    def __mul__(self, other: MidRad) -> MidRad:
        """The entrywise (Hadamard) product."""
        A, B = self.flushed(), other.flushed()
        m = A.mid * B.mid
        r = (2 * U * np.abs(m) + np.abs(A.mid) * B.rad + A.rad * (np.abs(B.mid) + B.rad)) * SLACK
        out = MidRad(m, r)
        _check_finite(out)
        return out

    def __add__(self, other: MidRad) -> MidRad:
        A, B = self.flushed(), other.flushed()
        m = A.mid + B.mid
        out = MidRad(m, (A.rad + B.rad + 2 * U * np.abs(m)) * SLACK)
        _check_finite(out)
        return out

    def __neg__(self) -> MidRad:
        return MidRad(-self.mid, self.rad)

    def __sub__(self, other: MidRad) -> MidRad:
        return self + (-other)

    def add_scalar(self, s: float) -> MidRad:
        """X + s for an exact float s."""
        return self + MidRad(np.full(self.shape, float(s)))

    def vector(self) -> MidRad:
        return MidRad(self.mid.reshape(-1), self.rad.reshape(-1))

    def balls(self) -> list:
        """The entries (a vector) as Arb balls: exact float midpoint ± radius."""
        return [arb(fmpq(*float(m).as_integer_ratio())) + arb(0, arf(float(r))) for m, r in
                zip(self.mid.ravel(), self.rad.ravel())]


def _check_finite(x: MidRad) -> None:
    if not (np.all(np.isfinite(x.mid)) and np.all(np.isfinite(x.rad))):
        raise ArithmeticError("float64 overflow in a midpoint–radius product")


def row_sum_upper(M: np.ndarray) -> float:
    """An upper bound of max_i Σ_j M[i, j] for a nonnegative float matrix (summation error γ_n, slack)."""
    if M.size == 0:
        return 0.0
    s = float(np.max(np.sum(M, axis=1)))
    return s * (1 + _gamma_c(M.shape[1])) * SLACK


def col_norm_upper(M: np.ndarray) -> np.ndarray:
    """Upper bounds of the Euclidean norms of the columns of a nonnegative float matrix (squares, a sum of
    length n, a correctly rounded square root: each rounding covered by the slack)."""
    if M.size == 0:
        return np.zeros(M.shape[1] if M.ndim == 2 else 0)
    M = np.where((M > 0) & (M < TINY), TINY, M)  # raised, never lowered: the squares do not underflow
    sq = np.sum((M * M) * SLACK, axis=0) * (1 + _gamma_c(M.shape[0])) * SLACK
    out = np.sqrt(sq) * SLACK
    if not np.all(np.isfinite(out)):
        raise ArithmeticError("a column norm beyond float64's range")
    return out


def from_arb(values) -> MidRad:
    """A vector of Arb balls as a MidRad containing each (float(mid) is within 2u|·| of Arb's midpoint — any
    rounding direction —, and float(rad) within that of Arb's radius). Every radius gets at least 2⁻¹⁰⁷⁰ (then
    TINY, by the flush): a midpoint below float64's range converts to 0 or a subnormal with an absolute error
    that a relative bound does not cover."""
    mids = np.array([float(v.mid()) for v in values], dtype=np.float64)
    rads = np.array([float(v.rad()) for v in values], dtype=np.float64)
    return MidRad(mids, (rads * (1 + 4 * U) + 2 * U * np.abs(mids) + 2.0**-1070) * SLACK).flushed()


def from_arb_mat(M: arb_mat) -> MidRad:
    """An arb_mat as a MidRad containing each entry: midpoints as floats (``float`` of a ball is its midpoint,
    within 2u of it), and for each row one radius, an upper bound of the sum of that row's Arb radii — the product
    (M − mid M)·1 in Arb, whose ball must contain Σ_j rad_ij — so no radius is read one by one."""
    r, c = M.nrows(), M.ncols()
    if r == 0 or c == 0:
        return MidRad(np.zeros((r, c)))
    mids = np.array([[float(v) for v in row] for row in M.tolist()], dtype=np.float64).reshape(r, c)
    sums = ((M - M.mid()) * arb_mat(c, 1, [1] * c)).tolist()
    row_rad = np.array([float(abs(v[0]).upper()) for v in sums], dtype=np.float64)
    rad = (row_rad[:, None] * (1 + 4 * U) + 2 * U * np.abs(mids) + 2.0**-1070) * SLACK
    return MidRad(mids, rad).flushed()


def inverse_bound(S: MidRad, R: MidRad) -> arb | None:
    """β ≥ ‖I − R·S‖∞ for every R, S in the sets, as an exact Arb upper bound, or None when β < 1 is not shown.

    β < 1 makes every S in the set nonsingular, with ‖S⁻¹‖∞ ≤ ‖R‖∞/(1 − β)."""
    try:
        E = R @ S
        D = E.mid - np.eye(E.shape[0])
        rad = E.rad + 2 * U * np.abs(D) * SLACK  # the subtraction of 1 on the diagonal rounds by ≤ u|result|
        beta = row_sum_upper((np.abs(D) + rad) * SLACK)
    except ArithmeticError:
        return None
    if not np.isfinite(beta) or beta >= 1:
        return None
    return arb(fmpq(*beta.as_integer_ratio()))


def enclose_solve(S: MidRad, R: MidRad, beta: arb, b: MidRad, refine: int = 2) -> list:
    """Balls containing S⁻¹b for every S, b in the sets (β from :func:`inverse_bound` for this R and S): x ≈ R b
    refined on the midpoints, then |x − S⁻¹b| ≤ ‖R(b − S x)‖∞ / (1 − β) (each S is nonsingular: β < 1)."""
    x = R.mid @ b.mid
    for _ in range(refine):
        x = x + R.mid @ (b.mid - S.mid @ x)
    X = MidRad(x.reshape(-1, 1))
    err = error_bounds(R, beta, b - (S @ X).vector())[0]
    return [arb(fmpq(*float(v).as_integer_ratio())) + arb(0, err) for v in x]


def error_bounds(R: MidRad, beta: arb, res: MidRad) -> list:
    """Per column of the residuals ``res`` = b − S·x (a vector: one column): an exact upper bound of
    ‖R·res‖∞ / (1 − β), which bounds |x − S⁻¹b| entrywise when β ≥ ‖I − R·S‖∞ and β < 1."""
    if res.mid.ndim == 1:
        res = MidRad(res.mid.reshape(-1, 1), res.rad.reshape(-1, 1), clean=res.clean)
    mags = (R @ res).magnitude()
    tops = np.max(mags, axis=0) if mags.size else np.zeros(res.shape[1])
    return [arb(arb(fmpq(*float(t).as_integer_ratio())) / (1 - beta)).upper() for t in tops]

