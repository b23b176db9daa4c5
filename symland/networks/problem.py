"""The residual map H, its Jacobian J_H, the loss L = Σ f_i² and its Hessian — exactly.

For a network f and data (x_s, y_s), the residuals are f_{s,c}(w) = f(x_s)_c − y_{s,c}, ordered data
point first, then output coordinate (row r = s·ℓ + c), so H : Rⁿ → R^{dℓ} (Theorem 2.1, Remark 4.2).

Two routes, which must agree exactly (the tests check it):

* :meth:`Problem.at` — the fast route: a layerwise forward pass, a backward pass per output for
  J_H, and forward-over-reverse passes for Hess f_r, over the exact numbers of a tier. Nothing
  symbolic is built.
* ``Problem.H_sym`` … ``hessian_sym`` — sympy expressions (σ as a Piecewise), for small cases and
  as the reference.

Hess L = 2 Σ_r (∇f_r ∇f_rᵀ + f_r Hess f_r); at a point of M every f_r = 0, so Hess L = 2 J_Hᵀ J_H
(the computation of Proposition 2.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import sympy as sp
from flint import fmpq

from symland import _validation
from symland.errors import ShapeError
from symland.io.data import Dataset
from symland.networks.dag import DagNetwork
from symland.networks.network import MLP
from symland.networks.passes import _Passes
from symland.networks.values import PointValues
from symland.sigma.kinkhits import exact_preactivations, hits as kink_hits
from symland.tiers import choose_kind, parse_value
from symland.tiers.numeric import Undecided

__all__ = ["Problem", "PointValues"]


class Problem:
    """A network together with a data set: the maps H, J_H, L, ∇L, Hess L of Section 2.

    >>> from symland.networks.network import mlp
    >>> from symland.io.data import Dataset
    >>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
    >>> vals = prob.at(["1", "0", "1", "0"])   # f(x) = 1·σ(1·1 − 0) − 0 = 1
    >>> [str(v) for v in vals.H]
    ['-1']
    >>> prob
    Problem(widths=(1, 1, 1), activation='rectpow3', n=4, d=1, p=1, l=1)
    >>> vals
    PointValues(n=4, residuals=1, off M, kind=RationalKind)
    >>> vals.J_matrix()
    Matrix([[3, -3, 1, -1]])

    The symbolic maps (:attr:`symbols`, :attr:`H_sym`, :attr:`J_sym`, :attr:`L_sym`, :attr:`gradient_sym`,
    :attr:`hessian_sym`) are sympy objects, for small cases and as the reference.
    """

    def __repr__(self) -> str:
        net, d = self.network, self.data
        arch = f"widths={tuple(net.widths)}" if hasattr(net, "widths") else type(net).__name__
        act = getattr(getattr(net, "activation", None), "name", None)
        return f"Problem({arch}, activation={act!r}, n={self.n}, d={d.d}, p={d.p}, l={d.l})"

    def __init__(self, network: MLP | DagNetwork, data: Dataset):
        _validation.instance_of(network, (MLP, DagNetwork), "network",
                                "a network (symland.mlp(widths, σ) or a DagNetwork)")
        _validation.instance_of(data, Dataset, "data", "a symland.Dataset (Dataset.from_rows or load_dataset)")
        if network.p != data.p:
            raise ShapeError(f"the network takes {network.p} inputs but the data have p = {data.p}")
        if network.l != data.l:
            raise ShapeError(f"the network has {network.l} outputs but the data have ℓ = {data.l}")
        self.network = network
        self.data = data

    @property
    def n(self) -> int:
        return self.network.n

    @property
    def m(self) -> int:
        """Number of residuals dℓ (the codimension of M, Remark 4.2)."""
        return self.data.d * self.data.l

    # -- exact evaluation at a point ---------------------------------------------------------
    def parse_point(self, point, quotients: bool = False) -> list:
        """A point as a flat list (or {name: value}) of exact values (strings, rationals, ExpPoly). ``quotients``:
        a fraction text longer than :data:`symland.numbers.exact.QUOTIENT_CHARS` is kept as a
        :class:`~symland.numbers.exact.Quotient` (validated, not brought to lowest terms: no gcd)."""
        from symland.numbers.exact import parse_quotient

        if isinstance(point, dict):
            point = self.network.vector(point)
        if len(point) != self.n:
            raise ShapeError(f"a point has {self.n} coordinates for widths {self.network.widths}, got {len(point)}")
        names = self.network.param_names()
        seen: dict = {}  # each distinct text parsed once (a sparse point repeats "0" ~n times)
        out = []
        for i, v in enumerate(point):
            if type(v) is str:
                q = seen.get(v)
                if q is None:
                    q = parse_quotient(v, where=names[i]) if quotients else None
                    q = seen[v] = q if q is not None else parse_value(v, where=names[i])
                out.append(q)
            else:
                out.append(parse_value(v, where=names[i]))
        return out

    def kind_for(self, point: Sequence):
        return choose_kind(self.network.activation, point)

    def at(self, point, *, kind=None, jacobian: bool = True, hessian: bool = False, kinks: bool = True) -> PointValues:
        """H, J_H (and Hess f_r when asked) at `point`, exactly, by layerwise passes.

        Over Arb balls (``kind.prec``) the passes run at the kind's precision. ``kinks``: decide which hidden
        pre-activations sit at σ's breakpoints (:func:`symland.sigma.kinkhits.hits`); False for a box (Krawczyk's
        enclosure of J_H over a box is not a statement about one point, and has no hits to count).
        """
        if getattr(kind, "prec", None):
            from symland.tiers.numeric import precision

            with precision(kind.prec):
                return self._at(point, kind, jacobian, hessian, kinks)
        return self._at(point, kind, jacobian, hessian, kinks)

    def _at(self, point, kind, jacobian: bool, hessian: bool, kinks: bool = True) -> PointValues:
        exact_point = None  # the point's exact rationals, when known: breakpoint hits are decided with them
        if getattr(kind, "inexact", False) and not isinstance(point, dict):
            if len(point) != self.n:
                raise ShapeError(f"a point has {self.n} coordinates for widths {self.network.widths}, got {len(point)}")
            raw = [parse_value(v) if isinstance(v, str) else v for v in point]
            exact_point = raw if all(isinstance(v, fmpq) for v in raw) else None
            point = [kind.const(v) for v in raw]
        else:
            point = self.parse_point(point)
            kind = kind or self.kind_for(point)
            point = [kind.const(v) for v in point]
        if hasattr(self.network, "jets"):  # a general DAG network (Section 3): forward-mode jets
            return self._at_dag(kind, point, hessian, exact_point)
        exact = None if exact_point is None else (lambda: exact_preactivations(self.network, exact_point, self.data.X))
        try:
            passes = _Passes(self.network, self.data, kind, point, second=hessian, first=jacobian)
        except Undecided:  # a ball straddling a kink of σ': decide the kinks exactly first (σ' may not exist there)
            if not (jacobian or hessian):
                raise
            if not kinks:
                raise
            values = _Passes(self.network, self.data, kind, point, second=False, first=False)
            kink_hits(self.network.activation, kind, values.Z[:-1], exact, 2 if hessian else 1)
            raise
        H = passes.residuals()
        J = passes.jacobian() if (jacobian or hessian) else []
        hess = passes.hessians() if hessian else None
        zeros = sum(kind.is_zero(z) for Z in passes.Z[:-1] for row in Z for z in row)
        hits = kink_hits(self.network.activation, kind, passes.Z[:-1], exact) if kinks else ()
        return PointValues(kind, point, H, J, hess, zeros, hits)

    def hessian_L_at(self, point):
        """Hess L at any point, exactly, residual term included, as an n × n ``fmpq_mat``.

        Hess L = 2 J_HᵀJ_H + 2 Hess g with g = Σ_r f_r(m)·f_r (weights frozen at m). For one hidden layer,
        f_c(x_s) = Σ_j V_cj σ(z_js) − b_c with z_js = W_j·x_s − b1_j, Hess g lives in one (p + 1 + ℓ)-block
        per hidden unit j (u_js = Σ_c w_sc V_cj):
        ∂²g/∂W_j∂W_j = Σ_s u_js σ''(z_js) x_s x_sᵀ, ∂²g/∂W_j∂b1_j = −Σ_s u_js σ''(z_js) x_s,
        ∂²g/∂b1_j² = Σ_s u_js σ''(z_js), ∂²g/∂W_j∂V_cj = Σ_s w_sc σ'(z_js) x_s, ∂²g/∂b1_j∂V_cj = −Σ_s w_sc σ'(z_js);
        every other second derivative is 0. Deeper networks use the general passes (:meth:`at`).
        Rational values only (σ piecewise polynomial over ℚ).
        """
        from flint import fmpq_mat

        general = len(self.network.widths) != 3 or not getattr(self.network, "bias", True)
        vals = self.at(point, hessian=general)
        if vals.kind.name != "exact":
            raise ShapeError("hessian_L_at needs rational values (a piecewise polynomial σ over ℚ)")
        J = fmpq_mat(vals.J)
        HL = J.transpose() * J * 2
        if general:
            dense = vals.hess_L
            return fmpq_mat(dense)
        net, data = self.network, self.data
        (W, b1), (V, _) = net.split(vals.point)
        sigma = net.activation
        p, h, l, d = net.widths[0], net.widths[1], net.widths[2], data.d
        X = data.X
        w = [[vals.H[s * l + c] for c in range(l)] for s in range(d)]
        iw = lambda j, a: j * p + a  # noqa: E731 - parameter indices, canonical order
        ib1 = lambda j: h * p + j  # noqa: E731
        iv = lambda c, j: h * p + h + c * h + j  # noqa: E731
        for j in range(h):
            blk: dict = {}

            def add(a, b, v, blk=blk):
                if v != 0:
                    blk[(a, b)] = blk.get((a, b), fmpq(0)) + v

            for s in range(d):
                z = sum((W[j][a] * X[s][a] for a in range(p)), fmpq(0)) - b1[j]
                u = sum((w[s][c] * V[c][j] for c in range(l)), fmpq(0))
                if u != 0:
                    s2 = sigma.eval_rational(z, 2) * u
                    if s2 != 0:
                        for a in range(p):
                            for bb in range(a, p):  # the upper triangle; mirrored below
                                add(iw(j, a), iw(j, bb), s2 * X[s][a] * X[s][bb])
                            add(iw(j, a), ib1(j), -s2 * X[s][a])
                        add(ib1(j), ib1(j), s2)
                s1 = sigma.eval_rational(z, 1)
                if s1 != 0:
                    for c in range(l):
                        if w[s][c] != 0:
                            for a in range(p):
                                add(iw(j, a), iv(c, j), w[s][c] * s1 * X[s][a])
                            add(ib1(j), iv(c, j), -w[s][c] * s1)
            for (a, bb), v in blk.items():
                HL[a, bb] += 2 * v
                if a != bb:
                    HL[bb, a] += 2 * v
        return HL

    def _at_dag(self, kind, point, hessian: bool, exact_point=None) -> PointValues:
        try:
            outs, zeros, hits = self.network.jets(kind, point, self.data.X, second=hessian, exact_point=exact_point)
        except Undecided:  # a ball straddling a kink of σ': decide the kinks from the exact point first
            if exact_point is not None:
                from symland.tiers import RationalKind

                try:
                    pre = self.network._exact_pre(exact_point, self.data.X)
                except Exception:  # noqa: BLE001 -- σ has no values over ℚ: the original Undecided stands
                    pre = None
                if pre is not None:
                    kink_hits(self.network.activation, RationalKind(), [[pre]], None, 2 if hessian else 1,
                              where=lambda k, i, s: f"hidden pre-activation {s + 1}")
            raise
        H, J, hess = [], [], []
        for s, row in enumerate(outs):
            for c, jet in enumerate(row):
                H.append(jet.value - kind.const(self.data.Y[s][c]))
                g, Hc = jet.dense(self.n, hessian)
                J.append(g)
                hess.append(Hc)
        return PointValues(kind, point, H, J, hess if hessian else None, zeros, hits)

    # -- symbolic reference ------------------------------------------------------------------
    @cached_property
    def symbols(self) -> list[sp.Symbol]:
        """The parameters as sympy symbols, in the canonical order of :meth:`MLP.param_names`.

        >>> from symland.networks.network import mlp
        >>> from symland.io.data import Dataset
        >>> Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2])).symbols
        [W1_0_0, b1_0, W2_0_0, b2_0]
        """
        return self.network.symbols()

    @cached_property
    def H_sym(self) -> list[sp.Expr]:
        """The residuals f_r(w) = f(x_s)_c − y_{s,c} as sympy expressions (σ as a Piecewise); r = s·ℓ + c.

        The reference for :meth:`at` on small cases (the tests check that both agree exactly).
        """
        X, Y = self.data.X, self.data.Y
        out = []
        for x, y in zip(X, Y):
            xs = [sp.Rational(int(v.p), int(v.q)) for v in x]
            fx = self.network.sympy_output(xs, self.symbols)
            out += [fc - sp.Rational(int(yc.p), int(yc.q)) for fc, yc in zip(fx, y)]
        return out

    @cached_property
    def J_sym(self) -> sp.Matrix:
        """J_H = ∂H/∂w, the dℓ × n Jacobian, as a sympy ``Matrix`` (``sympy.Matrix(H_sym).jacobian(symbols)``)."""
        return sp.Matrix(self.H_sym).jacobian(self.symbols)

    @cached_property
    def L_sym(self) -> sp.Expr:
        """The loss L = Σ_r f_r² as a sympy expression.

        >>> from symland.networks.network import mlp
        >>> from symland.io.data import Dataset
        >>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
        >>> prob.L_sym.subs(dict(zip(prob.symbols, [1, 0, 1, 0])))   # f(1) = 1, y = 2
        1
        """
        return sp.Add(*[h**2 for h in self.H_sym])

    @cached_property
    def gradient_sym(self) -> list[sp.Expr]:
        """∇L = (∂L/∂w_j)_j as a list of sympy expressions (equal to 2 J_Hᵀ H)."""
        return [sp.diff(self.L_sym, s) for s in self.symbols]

    @cached_property
    def hessian_sym(self) -> sp.Matrix:
        """Hess L as a sympy ``Matrix`` (``sympy.hessian(L_sym, symbols)``); at a point of M it is 2 J_Hᵀ J_H.

        >>> from symland.networks.network import mlp
        >>> from symland.io.data import Dataset
        >>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [1]))
        >>> at_m = dict(zip(prob.symbols, [1, 0, 1, 0]))              # f(1) = 1 = y: a point of M
        >>> J = prob.J_sym.subs(at_m)
        >>> J, prob.hessian_sym.subs(at_m) == 2 * J.T * J
        (Matrix([[3, -3, 1, -1]]), True)
        """
        return sp.hessian(self.L_sym, self.symbols)
