"""Re-checking a Krawczyk (interval Newton) box in Arb: the box holds a unique zero m' of H on chosen coordinates.

``symland certify`` on a network whose last hidden layer cannot re-solve the output layer writes a ``ball``
certificate whose point is a box B: dℓ coordinates S (the witness minor's columns, anywhere in the network) are
balls, the others exact or balls. The engine certified it by Krawczyk's test; the re-checker redoes that test with
its own forward pass (:func:`proofs_check.recheck.ball._forward`) and python-flint Arb, sharing no code with the
engine:

G(u; p) = H(m with m_S = u, the other coordinates p), X = B_S with centre x̃ (the balls' midpoints, exact dyadics)
and radii ρ, P = the other coordinates' balls (points when exact). With J(X) ⊇ {∂G/∂u : u ∈ X, p ∈ P} (forward
mode over the whole box) and any matrix Y (here the exact midpoints of an Arb inverse of mid J(X)),

    K = x̃ − Y G(x̃; P) + (I − Y J(X)) [−ρ, ρ].

**K ⊂ int X** (each |K_i − x̃_i| < ρ_i) proves, for every p ∈ P, a unique zero of G(·; p) in X (Krawczyk 1969;
parametric form: K(X; p) ⊆ K for every p). So the box holds a point m' with H(m') = 0 exactly — the fact m ∈ M,
without a numerical zero test. Every zero in X lies in K (for any Y), so **K ∩ X = ∅** on a coordinate shows that no
point of the box lies on M (the fact m ∉ M). Then, over the whole box: det J(X) ∌ 0 gives rank J_H(m') = dℓ (the
minor on S); σ'' enclosed at every hidden pre-activation (order 2, when the statement needs the Hessian) gives
Hess L(m') = 2J_HᵀJ_H, PSD of rank dℓ: inertia (dℓ, 0, n − dℓ) in Sylvester order; the smoothness class from the
breakpoints that exact pre-activations sit at (a ball straddling one is not decided: ``_Wider``, then
:class:`~proofs_check.recheck.ball.Unchecked` at the precision cap).

Failure of the inclusion at every precision is ``unchecked``, never ``rejected``: Krawczyk proves existence, its
failure proves nothing. What is rejected: a box shown off M (H over it excludes 0, or K ∩ X = ∅), a minor that is
not square on all dℓ rows, a repeated column, a determinant exactly 0.

>>> from flint import arb
>>> _inside(arb("0.5 +/- 0.1"), arb("0.5"), arb("0.5 +/- 0.2")), _inside(arb("0.5 +/- 0.3"), arb("0.5"), arb("0.5"))
(True, False)
"""

from __future__ import annotations

from flint import arb, arb_mat

from proofs_check.recheck.arb import ArbSigma, Unchecked, _at_breakpoints, _forward, _indices, _Wider
from proofs_check.recheck.smoothness import check_class
from proofs_check.recheck.statements import HESSIAN_DEFINED, OFF_M, ON_M, RANK_FULL, Reject

__all__ = ["krawczyk_columns", "krawczyk_facts"]


def krawczyk_columns(w: dict, net, m: int) -> list | None:
    """The minor's column labels when some lie outside the output layer (the Krawczyk route), else None."""
    rank = w.get("rank")
    minor = rank.get("minor") if isinstance(rank, dict) else None
    if not isinstance(minor, dict):
        return None
    cols = _indices(minor.get("cols"), len(net.names), "minor columns")
    output = set()
    for _v, bias, _sign, out, incoming in net.nodes:
        if out:
            output.add(bias)
            output.update(wl for _, wl in incoming)
    labels = [net.names[j] for j in cols]
    if all(lab in output for lab in labels):
        return None
    rows = _indices(minor.get("rows"), m, "minor rows")
    if rank.get("lower") != m or rank.get("upper") != m:
        raise Reject(f"the rank witness does not claim rank J_H(m) = dℓ = {m}: {rank!r:.200}")
    if sorted(rows) != list(range(m)) or len(cols) != m:
        raise Reject(f"a {len(rows)}×{len(cols)} minor on rows {rows!r:.80} cannot prove rank J_H = {m}")
    if len(set(cols)) != m:
        raise Reject(f"the minor repeats a column ({cols!r:.80}): it is singular")
    return labels


def _inside(k: arb, centre: arb, x: arb) -> bool:
    """Whether the ball ``k`` lies in the open interval int ``x`` (``centre`` = x's midpoint)."""
    return bool(abs(k - centre).upper() < x.rad())


def _jacobian(net, asig, Xa, Ya, params, labels, order) -> tuple:
    """(G as an m×1 arb_mat, J as m×m over ``labels``, the hidden pre-activations) at ``params``."""
    ell = len(net.outputs)
    m = len(Xa) * ell
    G, J, pre = arb_mat(m, 1), arb_mat(m, m), []
    wrt = set(labels) if order else set()
    for s, x in enumerate(Xa):
        outs, z = _forward(net, asig, x, params, wrt, order)
        pre += z
        for c, (f, grad) in enumerate(outs):
            r = s * ell + c
            G[r, 0] = f - Ya[s][c]
            if order:
                for i, lab in enumerate(labels):
                    J[r, i] = grad.get(lab, arb(0))
    return G, J, pre


def krawczyk_facts(claim, net, asig: ArbSigma, Xa, Ya, w, box: dict, labels: list, needs, checked, prec) -> set:
    """The facts a Krawczyk box shows (see the module docstring); raises ``_Wider`` when not decided at ``prec``."""
    m, n = len(labels), len(net.names)
    X = [box[lab] for lab in labels]
    if any(x.rad() == 0 for x in X):
        lab = labels[next(i for i, x in enumerate(X) if x.rad() == 0)]
        raise Unchecked(f"the Krawczyk coordinate {lab} is an exact value, not a box with an interior")
    centre = [x.mid() for x in X]
    at_centre = dict(box)
    at_centre.update(zip(labels, centre))
    G, _, _ = _jacobian(net, asig, Xa, Ya, at_centre, labels, 0)
    order = 2 if HESSIAN_DEFINED in needs else 1
    _, JX, pre = _jacobian(net, asig, Xa, Ya, box, labels, order)
    mid = arb_mat([[JX[i, j].mid() for j in range(m)] for i in range(m)])
    try:
        inv = mid.inv()
    except ZeroDivisionError:
        raise _Wider("the midpoint of J over the box is not certified invertible") from None
    Y = arb_mat([[inv[i, j].mid() for j in range(m)] for i in range(m)])
    E = arb_mat([[arb(int(i == j)) for j in range(m)] for i in range(m)]) - Y * JX
    D = arb_mat([[arb(0, x.rad())] for x in X])
    K = arb_mat([[c] for c in centre]) - Y * G + E * D
    apart = [i for i in range(m) if not K[i, 0].overlaps(X[i])]
    if apart:  # every zero in X lies in K (mean value form, for any Y): K ∩ X = ∅ leaves none
        i = apart[0]
        checked.append(f"m ∉ M: Krawczyk recomputed in Arb ({prec} bits): on {labels[i]}, K ∈ {K[i, 0].str(5)} "
                       f"misses X = {X[i].str(5)}; every zero of H in the box would lie in K, so no point of the "
                       "certificate's box lies on M")
        return {OFF_M}
    bad = [i for i in range(m) if not _inside(K[i, 0], centre[i], X[i])]
    if bad:
        i = bad[0]
        raise _Wider(f"Krawczyk: K ⊄ int X on {labels[i]}: K ∈ {K[i, 0].str(5)}, X = {X[i].str(5)}")
    checked.append(f"Krawczyk test recomputed in Arb ({prec} bits) on the {m} coordinates of the minor's columns "
                   f"{labels[:6]}{' …' if m > 6 else ''}, the other parameters over their balls: K ⊂ int X, so the "
                   f"certificate's box holds a point m' with H(m') = 0 exactly (unique on these coordinates)")
    det = JX.det()
    if det.is_exact() and det == 0:
        raise Reject(f"the witness minor of J_H on {labels[:6]} has determinant exactly 0 over the box")
    if det.contains(0):
        raise _Wider(f"the witness minor's determinant over the box {det.str(5)} is not certified ≠ 0")
    checked.append(f"rank J_H(m') = {m} = dℓ: the witness minor (all {m} rows, the Krawczyk columns) recomputed "
                   f"by forward mode in Arb over the whole box, det ∈ {det.str(5)} ∌ 0")
    facts = {ON_M, RANK_FULL}
    check_class(claim, w, asig.sigma, _at_breakpoints(asig.sigma, pre), checked, at=False)
    if order == 2:
        checked.append(f"σ'' exists at all {len(pre)} hidden pre-activations over the box (each inside one smooth "
                       "piece of σ or at a breakpoint where the one-sided derivatives agree): Hess L(m') is defined")
        checked.append(f"Hess L(m') = 2J_HᵀJ_H (H(m') = 0 exactly), PSD of rank {m}: inertia ({m}, 0, {n - m}) "
                       "(Sylvester order n₊, n₋, n₀); ∇f_r(m') ≠ 0 for every r (rows of a nonsingular minor)")
        facts.add(HESSIAN_DEFINED)
    return facts
