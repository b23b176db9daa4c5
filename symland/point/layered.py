"""Forward and backward passes of a layered network in Arb, over all data points at once (one ``arb_mat`` per layer).

For f(x) = W_K σ(… σ(W_1 x − b_1) …) − b_K with the inputs A_k of layer k (A_0 = X, one column per data point) and
the sensitivities G_k^(c) = ∂f_c/∂z_k (h_k × d), the rows of J_H are outer products layer by layer:

    ∂f_c(x_s)/∂W_k[i, j] = G_k^(c)[i, s]·A_k[j, s],    ∂f_c(x_s)/∂b_k[i] = −G_k^(c)[i, s]

(the float version is :mod:`symland.networks.gram`). So everything the distance bracket needs — the Gram matrix
J Jᵀ (dℓ × dℓ), Jᵀμ (n numbers), ‖J(x) − J(m)‖ over a box — costs O(d Σ h_k²)-sized matrix products in C and
O(dℓ Σ h_k) loops, never the dℓ × n matrix J itself. Rows are ordered r = s·ℓ + c (the claims' order).

``hull=True`` (a box for a Lipschitz bound): where a ball of pre-activations straddles a breakpoint of a continuous
σ, σ' is enclosed by the union of the adjacent pieces' derivatives (the one-sided derivatives' hull, which holds
every difference quotient of σ there); without it such a ball raises :class:`~symland.tiers.numeric.Undecided`,
and the pre-activations at breakpoints are listed.

>>> from flint import fmpq
>>> from symland.networks.network import mlp
>>> from symland.io.data import Dataset
>>> net, data = mlp((1, 2, 1), "tanh"), Dataset.from_rows([[0], [1]], [1, 2])
>>> p = passes(net, [fmpq(k + 1, 3) for k in range(net.n)], data, 128)
>>> len(p.H), p.gram().nrows(), p.gram()[0, 1].overlaps(p.gram()[1, 0])
(2, 2, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import arb, arb_mat, fmpq

from symland.errors import UndefinedDerivativeError
from symland.point._nearest_point import l2_bound
from symland.tiers.ball import _ARB_OPS, BallKind, pieces_union
from symland.tiers.evaluate import Undecided, _pieces, precision

__all__ = ["Passes", "passes", "data_matrix", "vec_norm", "cross_gram"]


def data_matrix(data) -> arb_mat:
    """X as a p × d arb_mat (exact rationals → balls at the working precision)."""
    return arb_mat([[arb(v) for v in col] for col in zip(*data.X)])


def vec_norm(values) -> arb:
    """An upper bound (exact, ≥ 0) of the Euclidean norm of balls (:func:`symland.point._nearest_point.l2_bound`)."""
    return l2_bound(values).upper()


@dataclass
class Passes:
    """A[k] (h_{k−1} × d, A[0] = X), G[c][k] (h_k × d), the residuals H (r = s·ℓ + c), the breakpoints met."""

    A: list
    _G: list | None  # None: not computed yet (see G)
    H: list
    bias: bool
    at_breakpoints: int = 0
    W: list = None  # the weight matrices (arb_mat), for the float64 passes (symland.point.layered_float)
    ident: tuple = None  # (a, b, c) with σ' = a + bσ + cσ² on every piece (one formula), else None
    b: list = None  # the bias vectors (lists of arb), for the float64 box (layered_float.box)
    sigma: object = None
    ell: int = 1
    S: list = None  # σ' at the hidden pre-activations (lists of balls); None: from A by the identity
    bits: int = 128

    @property
    def d(self) -> int:
        return self.A[0].ncols()

    @property
    def G(self) -> list:
        """G[c][k] in Arb, computed on first use: the float64 route (layered_float) reads only A and the weights,
        so the backward pass in Arb runs only where Arb is needed (a Gram matrix beyond float64, a box across a
        kink)."""
        if self._G is None:
            with precision(self.bits):
                self._G = _backward(self)
        return self._G

    def gram(self) -> arb_mat:
        """J Jᵀ (dℓ × dℓ), computed once per passes (at the precision of the first call)."""
        if getattr(self, "_gram", None) is None:
            self._gram = cross_gram(self, self)
        return self._gram

    def jv(self, v) -> list:
        """J v (r = s·ℓ + c) for a parameter vector v (canonical order; numbers Arb accepts)."""
        d, ell = self.d, self.ell
        out = [arb(0)] * (d * ell)
        pos = 0
        for k in range(len(self.A)):
            h, w = self.G[0][k].nrows(), self.A[k].nrows()
            V = arb_mat([[arb(v[pos + i * w + j]) for j in range(w)] for i in range(h)])
            pos += h * w
            dz = (V * self.A[k]).tolist()
            if self.bias:
                b = [arb(v[pos + i]) for i in range(h)]
                pos += h
                dz = [[z - b[i] for z in row] for i, row in enumerate(dz)]
            for c in range(ell):
                Gc = self.G[c][k].tolist()
                for s in range(d):
                    out[s * ell + c] += sum((Gc[i][s] * dz[i][s] for i in range(h)), arb(0))
        return out

    def jt(self, mu) -> list:
        """Jᵀμ in canonical parameter order (W_k row-major, then b_k), μ indexed r = s·ℓ + c."""
        d, ell = self.d, self.ell
        out = []
        for k in range(len(self.A)):
            h = self.G[0][k].nrows()
            acc = None
            for c in range(ell):
                Gc = self.G[c][k].tolist()
                scaled = arb_mat([[row[s] * mu[s * ell + c] for s in range(d)] for row in Gc])
                acc = scaled if acc is None else acc + scaled
            W = acc * self.A[k].transpose()
            out += [W[i, j] for i in range(h) for j in range(W.ncols())]
            if self.bias:
                out += [-sum((acc[i, s] for s in range(d)), arb(0)) for i in range(h)]
        return out


def cross_gram(P: Passes, Q: Passes) -> arb_mat:
    """J_P J_Qᵀ = Σ_k (G_k^P ᵀ G_k^Q) ⊙ (A_k^P ᵀ A_k^Q + 1) per pair of outputs (the + 1 only with biases)."""
    d, ell = P.d, P.ell
    out = [[arb(0)] * (d * ell) for _ in range(d * ell)]
    Ks = [(P.A[k].transpose() * Q.A[k]).tolist() for k in range(len(P.A))]
    one = 1 if P.bias else 0
    for c in range(ell):
        for c2 in range(ell):
            for k, K in enumerate(Ks):
                M = (P.G[c][k].transpose() * Q.G[c2][k]).tolist()
                for s in range(d):
                    row, Ms, Kr = out[s * ell + c], M[s], K[s]
                    for t in range(d):
                        row[t * ell + c2] += Ms[t] * (Kr[t] + one)
    return arb_mat(out)


def _continuous(sigma) -> bool:
    return all(sigma.differentiable_at(j, 0) for j in range(len(sigma.breakpoints)))


def _hull_derivative(kind: BallKind, sigma, z: arb) -> arb:
    """σ'(z) for a ball straddling breakpoints of a continuous σ: the union of the touched pieces' σ' on z."""
    pc = _pieces(kind._cache, sigma, 1, _ARB_OPS)
    lo = hi = None
    for i, c in enumerate(pc.breaks):
        if z.lower() <= arb(c) and lo is None:
            lo = i
        if z.upper() >= arb(c):
            hi = i + 1
    lo = 0 if lo is None else lo
    hi = len(pc.breaks) if hi is None else hi
    return pieces_union(pc, z, lo, hi, f"{sigma.name}'")


_IDENTITY: dict = {}  # (σ, piece) → (a, b, c) with σ' = a + b σ + c σ² on that piece (rationals), or None


def _derivative_in_value(sigma, i: int):
    """(a, b, c) rational with σ_i' = a + b·σ_i + c·σ_i² identically on piece i (tanh: 1 − σ²; sigmoid: σ − σ²; an
    affine piece: its slope), proved by sympy (``simplify`` and ``equals`` both give 0), else None — then σ' is
    evaluated from its own formula."""
    import sympy as sp

    from symland.sigma.activations import t

    key = (sigma.name, sigma.negative, sigma.positive, i)
    if key in _IDENTITY:
        return _IDENTITY[key]
    e, de = sigma._seg(i, 0), sigma._seg(i, 1)
    found = None
    try:
        cuts = [sp.Rational(c) for c in sigma.breakpoints]
        lo = cuts[i - 1] if i > 0 else (cuts[0] - 4 if cuts else sp.Integer(-2))
        hi = cuts[i] if i < len(cuts) else lo + 4
        pts = [lo + (hi - lo) * sp.Rational(j, 4) for j in (1, 2, 3)]
        rows = [[1, sp.N(e.subs(t, p), 60), sp.N(e.subs(t, p), 60) ** 2] for p in pts]
        rhs = [sp.N(de.subs(t, p), 60) for p in pts]
        sol = sp.Matrix(rows).LUsolve(sp.Matrix(rhs))
        a, b, c = (sp.nsimplify(v, rational=True, tolerance=1e-40) for v in sol)
        rest = de - (a + b * e + c * e**2)
        if sp.simplify(rest) == 0 and rest.equals(0) is True:
            found = (fmpq(int(a.p), int(a.q)), fmpq(int(b.p), int(b.q)), fmpq(int(c.p), int(c.q)))
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError, AttributeError):
        found = None
    _IDENTITY[key] = found
    return found


UNARY = ("tanh", "exp", "sinh", "cosh")  # σ = f(t) with f one of Arb's methods: called directly in a pass


def from_values(ident: tuple, vals: list) -> list:
    """σ' = a + bσ + cσ² at balls σ (``ident`` = (a, b, c)); tanh's 1 − σ² without the generic polynomial."""
    a, b, c = ident
    if b == 0 and c == -1:
        return [a - v * v for v in vals]
    return [a + v * (b + c * v) for v in vals]


class _Sigma:
    """σ and σ' on Arb balls, fast inside a piece (σ' from σ's value where an identity allows), BallKind's careful
    path near breakpoints."""

    def __init__(self, sigma, kind: BallKind):
        self.sigma, self.kind = sigma, kind
        self.pc0 = _pieces(kind._cache, sigma, 0, _ARB_OPS)
        self.pc1 = _pieces(kind._cache, sigma, 1, _ARB_OPS)
        self.cuts = [arb(c) for c in self.pc0.breaks]
        self.ids = [_derivative_in_value(sigma, i) for i in range(len(self.cuts) + 1)]
        self.ids = [None if x is None else tuple(arb(v) for v in x) for x in self.ids]
        # one formula: no breakpoint, or the same σ and σ' on every piece (tanh is written with a cut at 0) —
        # every value by that formula, no breakpoint test
        n = len(self.cuts) + 1
        self.smooth = all(sigma._seg(i, k) == sigma._seg(0, k) for i in range(1, n) for k in (0, 1))
        from symland.sigma.activations import t

        self.f0 = self.pc0.fns[0]
        e = sigma._seg(0, 0)
        if self.smooth and e.args and len(e.args) == 1 and e.args[0] == t and type(e).__name__ in UNARY:
            self.f0 = getattr(arb, type(e).__name__)  # σ = tanh(t) etc.: Arb's method itself (the balls are arb)

    def row(self, zs: list, derivatives: bool) -> tuple[list, list | None]:
        """σ (and σ') of a list of balls on a σ without breakpoints: one call per value, σ' from σ's value where
        the identity is known (tanh: 1 − σ², the common case, without the generic polynomial)."""
        vals = list(map(self.f0, zs))
        if not derivatives:
            return vals, None
        ident = self.ids[0]
        if ident is None:
            return vals, list(map(self.pc1.fns[0], zs))
        return vals, from_values(ident, vals)

    def _piece(self, z: arb) -> int | None:
        """The piece whose open interval holds the whole ball z, or None (on or across a breakpoint)."""
        for i, c in enumerate(self.cuts):
            if z < c:
                return i if i == 0 or z > self.cuts[i - 1] else None
        return len(self.cuts) if not self.cuts or z > self.cuts[-1] else None

    def value(self, z: arb) -> arb:
        i = self._piece(z)
        return self.pc0.fns[i](z) if i is not None else self.kind.act(self.sigma, z)

    def both(self, z: arb) -> tuple[arb, arb]:
        i = self._piece(z)
        if i is None:
            return self.kind.act(self.sigma, z), self.kind.act(self.sigma, z, 1)
        v = self.pc0.fns[i](z)
        ident = self.ids[i]
        return v, (from_values(ident, [v])[0] if ident is not None else self.pc1.fns[i](z))


def passes(net, point, data, bits: int, *, hull: bool = False, derivatives: bool = True,
           Xa: arb_mat | None = None) -> Passes:
    """The passes at ``point`` (fmpq or arb per parameter, canonical order) over ``data`` at ``bits``;
    ``derivatives=False``: the residuals only (G empty)."""
    sigma, kind = net.activation, BallKind(bits)
    cont = hull and _continuous(sigma)
    with precision(bits):
        fast = _Sigma(sigma, kind)
        A = [Xa if Xa is not None else data_matrix(data)]
        S, met = [], 0
        layers = net.split([v if isinstance(v, arb) else arb(v) for v in point], arb(0))
        Ws = [arb_mat(W) for W, _ in layers]
        K = len(layers)
        for k, (_, b) in enumerate(layers):
            Z = (Ws[k] * A[-1]).tolist()
            if k == K - 1:
                out = [[z - b[i] for z in row] for i, row in enumerate(Z)]
                break
            nxt, der = [], []
            lazy = fast.smooth and fast.ids[0] is not None  # σ' from A by the identity, when G is asked for
            for i, row in enumerate(Z):
                if fast.smooth:
                    bi = b[i]
                    ra, rd = fast.row([z - bi for z in row], derivatives and not lazy)
                    nxt.append(ra)
                    if derivatives and not lazy:
                        der.append(rd)
                    continue
                ra, rd = [], []
                for z in row:
                    z = z - b[i]
                    if not derivatives:
                        ra.append(fast.value(z))
                        continue
                    try:
                        v, dv = fast.both(z)
                    except (Undecided, UndefinedDerivativeError):
                        if not cont:
                            raise
                        met += 1
                        v, dv = kind.act(sigma, z), _hull_derivative(kind, sigma, z)
                    ra.append(v)
                    rd.append(dv)
                nxt.append(ra)
                der.append(rd)
            A.append(arb_mat(nxt))
            S.append(der)
        ell, d = len(out), len(out[0])
        H = [out[c][s] - arb(data.Y[s][c]) for s in range(d) for c in range(ell)]
    ident = fast.ids[0] if fast.smooth else None
    return Passes(A, None if derivatives else [], H, net.bias, met, Ws, ident, [b for _, b in layers], sigma, ell,
                  None if (fast.smooth and ident is not None) else S, bits)


def _backward(P: Passes) -> list:
    """G[c][k] = ∂f_c/∂z_k (h_k × d) by the backward pass in Arb, σ' from P.S or from A by the identity."""
    K, d, ell = len(P.W), P.d, P.ell
    S = P.S
    if S is None:
        S = [[from_values(P.ident, row) for row in P.A[k].tolist()] for k in range(1, K)]
    G = []
    for out in range(ell):
        g = [None] * K
        g[-1] = arb_mat([[arb(int(i == out))] * d for i in range(ell)])
        for k in range(K - 1, 0, -1):
            back = (P.W[k].transpose() * g[k]).tolist()
            g[k - 1] = arb_mat([[x * y for x, y in zip(rb, rs)] for rb, rs in zip(back, S[k - 1])])
        G.append(g)
    return G


def exact_box(point, radius) -> list:
    """The box point ± radius on every coordinate (arb balls; ``radius`` an exact number ≥ 0)."""
    r = arb(fmpq(radius) if not isinstance(radius, arb) else radius)
    return [arb(v) + arb(0, r) if not isinstance(v, arb) else v + arb(0, r) for v in point]
