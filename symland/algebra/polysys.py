"""The residual map H of a polynomial network as polynomials over ℚ, and the systems of the global claims.

For σ a polynomial over ℚ on all of ℝ (``square``, ``identity``, ``poly:c0,c1,…``) every residual
f_i(w) = f_w(x_i) − y_i is a polynomial in the parameters w ∈ ℝⁿ with rational coefficients, so the
questions "is 0 a regular value of H = (f_1, …, f_dℓ) on all of M = H⁻¹(0)?" and "what is dim H⁻¹(0)?"
are questions about polynomial ideals, decidable exactly.

Singular points. 0 fails to be a regular value at w ∈ M iff J_H(w) has rank < m = dℓ, iff there is λ ≠ 0 with
J_H(w)ᵀ λ = 0. Scaling λ, the affine charts "λ_1 = … = λ_{k−1} = 0, λ_k = 1" (k = 1, …, m) cover every
λ ≠ 0 exactly once, so

    M has a singular point  ⟺  for some k the system  H(w) = 0,  J_H(w)ᵀ λ = 0,  λ_j = 0 (j < k),  λ_k = 1
                               has a solution (w, λ) with w real.

(A single normalisation ⟨r, λ⟩ = 1 with a random r would miss a singular point whose cokernel is orthogonal to
r; the charts miss nothing, and each has fewer unknowns than the full system.) A chart with no solution over ℂ
has the reduced Gröbner basis {1} (weak Nullstellensatz), which any second engine can recompute.

How the polynomials are held. H is computed through the layer recursion in python-flint's sparse ``fmpq_mpoly``
(C arithmetic; sympy's ``PolyElement`` stores every monomial as a tuple of all n exponents, which at n ≈ 340 makes
the expansion itself take tens of seconds), J_H and the charts likewise, each chart built once per system
(cached). Each polynomial is a :class:`Poly`: the flint polynomial, msolve's input text written from it (cached),
and — only when a caller asks for anything else — the same polynomial as a sympy ``PolyElement`` of
:attr:`PolySystem.ring` (converted once, then every attribute and operator is sympy's).

>>> from symland.io.data import Dataset
>>> from symland.networks.network import mlp
>>> sys = polynomial_residuals(mlp((1, 1, 1), "square"), Dataset.from_rows([[1], [2]], [1, 2]))
>>> sys.names, str(sys.H[0])
(['W1_0_0', 'b1_0', 'W2_0_0', 'b2_0'], 'W1_0_0**2*W2_0_0 - 2*W1_0_0*b1_0*W2_0_0 + b1_0**2*W2_0_0 - b2_0 - 1')
>>> [len(c.equations) for c in singular_charts(sys)], singular_charts(sys)[0].variables[-1]
([6, 6], 'lam_2')
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx

from symland.errors import NotRepresentableError

__all__ = ["PolySystem", "Chart", "Poly", "Expired", "polynomial_coeffs", "polynomial_residuals", "singular_charts",
           "iter_charts", "size_of", "to_flint"]


def polynomial_coeffs(activation) -> list | None:
    """σ's coefficients (low → high) when σ is one polynomial over ℚ on all of ℝ, else None."""
    from symland.sigma._decide import _coeffs

    segs = [_coeffs(e) for e in activation._segments]
    if any(s is None for s in segs) or any(s != segs[0] for s in segs):
        return None
    return segs[0]


def _fq(c) -> fmpq:
    """A rational (int, Fraction, sympy Rational, flint fmpq) as flint's fmpq."""
    if hasattr(c, "p") and hasattr(c, "q"):
        return fmpq(int(c.p), int(c.q))
    return fmpq(int(c.numerator), int(c.denominator))


class _Space:
    """The variables of a system: a flint context, and the sympy ring of the same names made on first use."""

    def __init__(self, names, ring=None):
        self.names = tuple(names)
        self.ctx = fmpq_mpoly_ctx.get(self.names, "degrevlex")
        self.index = {v: i for i, v in enumerate(self.names)}  # (flint's variable_to_index is a linear search)
        self._ring = ring

    @property
    def ring(self):
        if self._ring is None:
            from sympy import QQ
            from sympy.polys.rings import ring

            self._ring = ring(",".join(self.names), QQ)[0]
        return self._ring

    def to_sympy(self, p: fmpq_mpoly):
        from sympy import QQ

        return self.ring.from_dict({mon: QQ(int(c.p), int(c.q)) for mon, c in zip(p.monoms(), p.coeffs())})


def to_flint(p, ctx: fmpq_mpoly_ctx) -> fmpq_mpoly:
    """A sympy ``PolyElement`` (or a :class:`Poly`, or a flint polynomial) over ℚ as a flint polynomial of ``ctx``,
    matching variables by name (a variable of ``p`` that ``ctx`` lacks must not occur)."""
    if isinstance(p, Poly):
        p = p.flint
    if isinstance(p, fmpq_mpoly):
        return p if p.context() is ctx else p.project_to_context(ctx)
    names = [str(s) for s in p.ring.symbols]
    where = {v: i for i, v in enumerate(ctx.names())}
    index = [where.get(v) for v in names]
    terms = {}
    for mon, c in p.items():
        e = [0] * ctx.nvars()
        for i, k in enumerate(mon):
            if k:
                if index[i] is None:
                    raise ValueError(f"variable {names[i]} is not among the system's variables")
                e[index[i]] = k
        terms[tuple(e)] = _fq(c)
    return ctx.from_dict(terms)


class Poly:
    """A polynomial over ℚ held by python-flint, seen as sympy's ``PolyElement`` (of :attr:`PolySystem.ring`) by
    whoever asks for anything but its size, its msolve text or a comparison with a number."""

    __slots__ = ("flint", "space", "_sympy", "_text")

    def __init__(self, p: fmpq_mpoly, space: _Space, sympy_poly=None):
        self.flint, self.space, self._sympy, self._text = p, space, sympy_poly, None

    @property
    def sympy(self):
        if self._sympy is None:
            self._sympy = self.space.to_sympy(self.flint)
        return self._sympy

    def msolve_text(self) -> str:
        """The polynomial in msolve's input syntax (``3/4*x^2*y-z``), cached."""
        if self._text is None:
            self._text = str(self.flint).replace(" ", "")
        return self._text

    def total_degree(self) -> int:
        return max(int(self.flint.total_degree()), 0)

    @property
    def is_ground(self) -> bool:
        return self.flint.is_constant()

    def __getattr__(self, name):
        if name.startswith("__") or name in Poly.__slots__:
            raise AttributeError(name)
        return getattr(self.sympy, name)

    def __eq__(self, other):
        if isinstance(other, Poly):
            return self.flint == other.flint
        if isinstance(other, (int, Fraction, fmpq)):
            return self.flint == self.flint.context().constant(_fq(other))
        return self.sympy == other

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.sympy)

    def __bool__(self):
        return not self.flint.is_zero()

    def __len__(self):
        return len(self.flint)

    def __iter__(self):
        return iter(self.sympy)

    def __getitem__(self, key):
        return self.sympy[key]

    def __str__(self):
        return str(self.sympy)

    __repr__ = __str__

    def __neg__(self):
        return -self.sympy

    def __pow__(self, k):
        return self.sympy ** k


def _binary(name, reflected=False):
    def op(self, other):
        other = other.sympy if isinstance(other, Poly) else other
        return getattr(other, name)(self.sympy) if reflected else getattr(self.sympy, name)(other)
    return op


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod"):
    setattr(Poly, f"__{_op}__", _binary(f"__{_op}__"))
    setattr(Poly, f"__r{_op}__", _binary(f"__r{_op}__"))


class PolySystem:
    """H as polynomials over ℚ (:class:`Poly`) in the parameters, named as the network's parameters; the ring
    (``ring``: sympy, made on first use unless given) also holds the multipliers ``lam_2 … lam_m`` of the charts.

    ``PolySystem(names, H, n, m, ring)`` also takes H as sympy ``PolyElement`` s of ``ring``."""

    def __init__(self, names, H, n: int, m: int, ring=None):
        self.names, self.n, self.m = list(names), n, m
        lams = [f"lam_{j}" for j in range(2, m + 1)]
        if H and isinstance(H[0], Poly):
            self.space = H[0].space
            self.H = list(H)
        else:
            given = [str(s) for s in ring.symbols] if ring is not None else []
            full = given + [v for v in self.names + lams if v not in given]
            self.space = _Space(full, ring if full == given else None)
            self.H = [Poly(to_flint(h, self.space.ctx), self.space, h if full == given else None) for h in H]
        self._jacobian = None
        self._charts: dict = {}

    @property
    def ring(self):
        return self.space.ring

    def gens(self, names) -> list:
        index = {str(g): g for g in self.ring.gens}
        return [index[v] for v in names]

    def jacobian(self, deadline: float | None = None) -> list | None:
        """J_H as flint polynomials (rows: residuals, columns: parameters), computed once; None when ``deadline``
        (``time.perf_counter()``) passes first."""
        if self._jacobian is None:
            cols = [self.space.index[v] for v in self.names]
            rows = []
            for h in self.H:
                row = []
                for j in cols:
                    if deadline is not None and time.perf_counter() >= deadline:
                        return None
                    row.append(h.flint.derivative(j))
                rows.append(row)
            self._jacobian = rows
        return self._jacobian

    def chart(self, k: int, deadline: float | None = None) -> Chart:
        """Chart k (λ_k = 1, λ_j = 0 for j < k), built once. When ``deadline`` (``time.perf_counter()``) passes
        while it is built, the chart returned (not cached) holds one :class:`Expired` equation, on which
        :func:`symland.algebra.msolve.solve` answers ``timeout``: never an answer about the chart."""
        if k not in self._charts:
            lam_names = [f"lam_{j}" for j in range(k + 1, self.m + 1)]
            expired = Chart(k, list(self.names) + lam_names, [Expired(self.space)])
            if deadline is not None and time.perf_counter() >= deadline:
                return expired
            ctx, J = self.space.ctx, self.jacobian(deadline)
            if J is None:
                return expired
            lam = [None] * (k - 1) + [ctx.constant(1)] + [ctx.gen(self.space.index[v]) for v in lam_names]
            eqs = list(self.H)
            for j in range(self.n):
                if deadline is not None and time.perf_counter() >= deadline:
                    return expired
                g = ctx.constant(0)
                for i in range(k - 1, self.m):
                    if not J[i][j].is_zero():
                        g += J[i][j] if i == k - 1 else lam[i] * J[i][j]
                if not g.is_zero():
                    eqs.append(Poly(g, self.space))
            self._charts[k] = Chart(k, list(self.names) + lam_names, eqs)
        return self._charts[k]


class Expired(Poly):
    """The one equation of a chart whose building passed its deadline: msolve is not run on it (``timeout``)."""

    __slots__ = ()

    def __init__(self, space: _Space):
        super().__init__(space.ctx.gen(0), space)


@dataclass(frozen=True)
class Chart:
    """One chart of the singular-point system: equations (:class:`Poly`) in ``variables`` (the w's, then the free
    λ's)."""

    k: int  # λ_k = 1 (1-based), λ_j = 0 for j < k
    variables: list
    equations: list


def polynomial_residuals(net, data) -> PolySystem:
    """H = (f_1, …, f_dℓ) of a layered network with polynomial σ as polynomials over ℚ (flint, layer by layer).

    Raises:
        NotRepresentableError: σ is not a polynomial over ℚ on all of ℝ (then H is not a polynomial map).
    """
    coeffs = polynomial_coeffs(net.activation)
    if coeffs is None:
        raise NotRepresentableError(f"the global claims need a polynomial σ over ℚ (square, identity, poly:…); "
                                    f"{net.activation.name} is not one, so H is not a polynomial map")
    names = net.param_names()
    m = data.d * data.l
    space = _Space(names + [f"lam_{j}" for j in range(2, m + 1)])
    ctx = space.ctx
    zero = ctx.constant(0)
    cs = {k: _fq(c) for k, c in enumerate(coeffs) if c}

    def sigma(z):
        out, power = zero, ctx.constant(1)
        for k in range(max(cs, default=0) + 1):
            if k:
                power = power * z
            if k in cs:
                out += power * cs[k]
        return out

    H = []
    layers = net.split(list(ctx.gens()[:len(names)]), zero=zero)
    for x, y in zip(data.X, data.Y):
        a = [_fq(v) for v in x]
        for k, (W, b) in enumerate(layers):
            z = []
            for row, bi in zip(W, b):
                acc = -bi
                for w, v in zip(row, a):
                    acc += w * v
                z.append(acc)
            a = z if k == len(layers) - 1 else [sigma(v) for v in z]
        H += [Poly(fc - _fq(yc), space) for fc, yc in zip(a, y)]
    return PolySystem(names, H, len(names), len(H))


def singular_charts(sys: PolySystem) -> list[Chart]:
    """The m charts of the system H = 0, J_Hᵀλ = 0 (see the module docstring)."""
    return list(iter_charts(sys))


def iter_charts(sys: PolySystem, deadline: float | None = None):
    """The charts one at a time (a caller with a deadline stops between them); each is built once per system. With
    ``deadline`` (``time.perf_counter()``) a chart whose building passes it comes as an expired chart (see
    :meth:`PolySystem.chart`)."""
    for k in range(1, sys.m + 1):
        yield sys.chart(k, deadline)


def total_degree(p) -> int:
    if isinstance(p, Poly):
        return p.total_degree()
    return max((sum(mon) for mon in p.monoms()), default=0)


def size_of(variables, equations) -> dict:
    """The size of a system: unknowns, equations, total degrees (max and the list)."""
    degs = [total_degree(e) for e in equations]
    return {"variables": len(variables), "equations": len(equations), "max_degree": max(degs, default=0),
            "degrees": degs}
