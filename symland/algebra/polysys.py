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

>>> from symland.io.data import Dataset
>>> from symland.networks.network import mlp
>>> sys = polynomial_residuals(mlp((1, 1, 1), "square"), Dataset.from_rows([[1], [2]], [1, 2]))
>>> sys.names, str(sys.H[0])
(['W1_0_0', 'b1_0', 'W2_0_0', 'b2_0'], 'W1_0_0**2*W2_0_0 - 2*W1_0_0*b1_0*W2_0_0 + b1_0**2*W2_0_0 - b2_0 - 1')
>>> [len(c.equations) for c in singular_charts(sys)], singular_charts(sys)[0].variables[-1]
([6, 6], 'lam_2')
"""

from __future__ import annotations

from dataclasses import dataclass

from symland.errors import NotRepresentableError

__all__ = ["PolySystem", "Chart", "polynomial_coeffs", "polynomial_residuals", "singular_charts", "iter_charts",
           "size_of"]


def polynomial_coeffs(activation) -> list | None:
    """σ's coefficients (low → high) when σ is one polynomial over ℚ on all of ℝ, else None."""
    from symland.sigma._decide import _coeffs

    segs = [_coeffs(e) for e in activation._segments]
    if any(s is None for s in segs) or any(s != segs[0] for s in segs):
        return None
    return segs[0]


@dataclass(frozen=True)
class PolySystem:
    """H as polynomials over ℚ (sympy ``PolyElement`` of the ring ``ring``) in the parameters, named as the network's
    parameters, followed in the ring by the multipliers ``lam_2 … lam_m`` that the charts use."""

    names: list
    H: list
    n: int
    m: int
    ring: object

    def gens(self, names) -> list:
        index = {str(g): g for g in self.ring.gens}
        return [index[v] for v in names]


@dataclass(frozen=True)
class Chart:
    """One chart of the singular-point system: equations (``PolyElement``) in ``variables`` (the w's, then the free
    λ's)."""

    k: int  # λ_k = 1 (1-based), λ_j = 0 for j < k
    variables: list
    equations: list


def polynomial_residuals(net, data) -> PolySystem:
    """H = (f_1, …, f_dℓ) of a layered network with polynomial σ as polynomials over ℚ.

    Raises:
        NotRepresentableError: σ is not a polynomial over ℚ on all of ℝ (then H is not a polynomial map).
    """
    from sympy import QQ
    from sympy.polys.rings import ring

    coeffs = polynomial_coeffs(net.activation)
    if coeffs is None:
        raise NotRepresentableError(f"the global claims need a polynomial σ over ℚ (square, identity, poly:…); "
                                    f"{net.activation.name} is not one, so H is not a polynomial map")
    names = net.param_names()
    m = data.d * data.l
    R, *gens = ring(",".join(names + [f"lam_{j}" for j in range(2, m + 1)]), QQ)
    syms = gens[:len(names)]
    cs = [QQ(int(c.p), int(c.q)) for c in coeffs]

    def sigma(z):
        return sum((c * z**k for k, c in enumerate(cs) if c), R(0))

    H = []
    layers = net.split(syms, zero=R(0))
    for x, y in zip(data.X, data.Y):
        a = [R(QQ(int(v.p), int(v.q))) for v in x]
        for k, (W, b) in enumerate(layers):
            z = [sum((w * v for w, v in zip(row, a)), R(0)) - bi for row, bi in zip(W, b)]
            a = z if k == len(layers) - 1 else [sigma(v) for v in z]
        H += [fc - QQ(int(yc.p), int(yc.q)) for fc, yc in zip(a, y)]
    return PolySystem(names, H, len(names), len(H), R)


def singular_charts(sys: PolySystem) -> list[Chart]:
    """The m charts of the system H = 0, J_Hᵀλ = 0 (see the module docstring)."""
    return list(iter_charts(sys))


def iter_charts(sys: PolySystem):
    """The charts one at a time (a caller with a deadline stops between them)."""
    R, syms = sys.ring, sys.gens(sys.names)
    J = [[h.diff(s) for s in syms] for h in sys.H]
    for k in range(1, sys.m + 1):
        lam_names = [f"lam_{j}" for j in range(k + 1, sys.m + 1)]
        lam = [R(0)] * (k - 1) + [R(1)] + sys.gens(lam_names)
        grad = [sum((lam[i] * J[i][j] for i in range(sys.m) if J[i][j]), R(0)) for j in range(sys.n)]
        eqs = list(sys.H) + [g for g in grad if g != 0]
        yield Chart(k, list(sys.names) + lam_names, eqs)


def total_degree(p) -> int:
    return max((sum(mon) for mon in p.monoms()), default=0)


def size_of(variables, equations) -> dict:
    """The size of a system: unknowns, equations, total degrees (max and the list)."""
    degs = [total_degree(e) for e in equations]
    return {"variables": len(variables), "equations": len(equations), "max_degree": max(degs, default=0),
            "degrees": degs}
