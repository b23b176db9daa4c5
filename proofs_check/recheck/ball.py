"""Re-checking a ``ball`` certificate at a point of a layered network, in Arb: the facts its box shows.

A ball witness gives the point as Arb enclosures — a *box* B of parameters — which the exact re-check cannot read.
What such a certificate asserts is a statement about a point of B (:mod:`proofs_check.recheck.statements`); the
facts are re-derived here:

1. H is recomputed over the whole box (interval evaluation with this module's own forward pass); every residual's
   enclosure must meet the recorded one. If one excludes 0, **no point of B lies on M**: the fact ``m ∉ M``.
2. Otherwise m' takes every parameter's ball midpoint (an exact dyadic number), except the output-layer parameters
   named by the witness minor's columns. H is affine in the output layer, f_{s,c} = Σ_j W_K[c,j] a_j(x_s) − b_K[c],
   so these unknowns solve a square linear system A w = y − (the fixed terms), A_{(s,c),λ} = ∂f_{s,c}/∂λ, whose
   unique exact solution is enclosed by ``arb_mat.solve`` (which fails unless A is certified invertible). H(m') = 0
   then holds exactly — no numerical zero test — with the solved weights known as balls.
3. **m' ∈ B** is checked: every solved ball must lie inside the certificate's ball of that parameter (the other
   coordinates of m' are midpoints of B). Only then is m' a point *of the certificate* and ``m ∈ M`` a fact. When
   the solved ball is not inside, the same system is solved over the whole box (A and the fixed terms as balls over
   B: an enclosure of the output-layer solutions for every choice of the other parameters in B); if that enclosure
   misses the certificate's ball, no point of B lies on M and the certificate is rejected; otherwise the precision
   is raised, and at the cap the step is not decided (:class:`Unchecked`). A minor column recorded exactly (radius
   0, e.g. an output weight exactly 0) keeps its exact value in m' first: the other unknowns are solved from the
   rows that involve them, and every remaining row must hold exactly (coefficients and right-hand side exact zero
   balls); when the rows do not split so, the plain re-solve above is used.
4. The witness minor of J_H(m') (rows: all dℓ residuals, its columns) is recomputed by forward-mode
   differentiation in Arb and its determinant certified ≠ 0: rank J_H(m') = dℓ; with σ'' shown to exist at every
   hidden pre-activation (when the statement needs the Hessian), Hess L(m') = 2J_HᵀJ_H exactly.

σ is evaluated on balls from its exact sympy pieces (:mod:`proofs_check.recheck.sigma`): a ball inside one segment
gets that piece, an exact ball at a breakpoint the exact one-sided value; a ball straddling a breakpoint is not
decided (:class:`Unchecked`). The module uses only python-flint and the re-checker's own modules.

The Arb arithmetic itself (balls from text, σ on balls, the forward pass) is :mod:`.arb`.
"""

from __future__ import annotations

from flint import arb, arb_mat

from proofs_check.recheck.arb import (
    MAX_PREC,
    ArbSigma,
    Unchecked,
    _at_breakpoints,
    _forward,
    _indices,
    _output_system,
    _params,
    _Wider,
    arb_of,
    doubling,  # noqa: F401 - re-exported: the ball route's public names
    is_enclosure_witness,
    to_arb,
)
from proofs_check.recheck.exact import NotExact, Unrecognized
from proofs_check.recheck.net import build
from proofs_check.recheck.newton import krawczyk_columns, krawczyk_facts
from proofs_check.recheck.setting import Log, check_inertia, distinct_inputs
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.smoothness import check_class
from proofs_check.recheck.statements import (
    FEEDFORWARD,
    HESSIAN_DEFINED,
    OFF_M,
    ON_M,
    ONE_OUTPUT,
    OVERPARAMETERIZED,
    RANK_FULL,
    Reject,
)

__all__ = ["Unchecked", "ArbSigma", "is_enclosure_witness", "at_point_ball", "MAX_PREC"]


def at_point_ball(claim: str, w: dict, needs: frozenset, checked) -> set:
    """The facts a ball witness shows (see the module docstring), for Theorem 2.1, Proposition 2.3, Theorem 4.1,
    Remark 4.2 and a point off M.

    Appends the steps verified to ``checked``; raises :class:`Reject` when a recorded value is wrong or the box holds
    no point of M although the statement needs one, :class:`Unchecked` when a step cannot be decided.
    """
    inst = w.get("instance")
    net, X, Y = build(inst)  # the network the certificate names: a DAG keeps its semantics
    if net.semantics != "standard" or "widths" not in inst:
        raise Unchecked(f"the ball route evaluates layered networks (o_v = σ(Σ w·o_u + b_v)); this instance is a DAG "
                        f"with {net.semantics} semantics, which it does not evaluate")
    sigma = sigma_for(inst)
    ell = len(net.outputs)
    m, n = len(X) * ell, len(net.names)
    facts = {FEEDFORWARD} | ({OVERPARAMETERIZED} if n > m else set()) | ({ONE_OUTPUT} if ell == 1 else set())
    facts |= distinct_inputs(inst)
    recorded = w.get("H")
    if not isinstance(recorded, (list, tuple)) or len(recorded) != m:
        raise Reject(f"the witness must record {m} residuals")
    start = max(int(w.get("prec", 128)) if isinstance(w.get("prec"), int) else 128, 64) + 64
    prec = min(start, MAX_PREC)
    asig = ArbSigma(sigma)
    return facts | doubling(lambda steps, bits: _run(claim, net, asig, X, Y, w, recorded, needs, steps, bits), prec,
                            checked)


def _minor(w: dict, net, m: int, n: int, X: list) -> tuple[list, list, list]:
    """(rows, cols, labels) of the witness minor, which must name dℓ output-layer parameters, |X| per output."""
    rank = w.get("rank")
    if not isinstance(rank, dict) or not isinstance(rank.get("minor"), dict):
        raise Unchecked("the witness names no minor of J_H")
    if rank.get("lower") != m or rank.get("upper") != m:
        raise Reject(f"the rank witness does not claim rank J_H(m) = dℓ = {m}: {rank!r:.200}")
    minor = rank["minor"]
    rows = _indices(minor.get("rows"), m, "minor rows")
    cols = _indices(minor.get("cols"), n, "minor columns")
    if sorted(rows) != list(range(m)) or len(cols) != m:
        raise Reject(f"a {len(rows)}×{len(cols)} minor on rows {rows!r:.80} cannot prove rank J_H = {m}")
    if len(set(cols)) != m:
        raise Reject(f"the minor repeats a column ({cols!r:.80}): it is singular")
    labels = [net.names[j] for j in cols]
    owner = {}  # output-layer parameter label -> output index c
    for c, (_v, bias, _sign, _out, incoming) in enumerate(node for node in net.nodes if node[3]):
        owner[bias] = c
        owner.update({wl: c for _, wl in incoming})
    if any(lab not in owner for lab in labels):
        bad = [lab for lab in labels if lab not in owner]
        raise Unchecked(f"the minor's columns {bad[:3]} are not output-layer parameters, which the re-solve needs")
    counts = [sum(owner[lab] == c for lab in labels) for c in range(len(net.outputs))]
    if counts != [len(X)] * len(net.outputs):
        raise Reject(f"the minor is singular: its columns give the outputs {counts} parameters for {len(X)} rows "
                     "each (J_H is exactly 0 between one output's rows and another output's parameters)")
    return rows, cols, labels


def _box_residuals(net, asig, Xa, Ya, box, rec, needs, checked: Log, prec) -> list | None:
    """H over the whole box, each residual meeting the recorded one; the residuals that exclude 0 (None: the box's
    own balls are too wide for σ's pieces, so H over it is not decided)."""
    ell = len(net.outputs)
    off, wrong = [], []
    try:
        for s, (x, y) in enumerate(zip(Xa, Ya)):
            outs, _ = _forward(net, asig, x, box, set(), 0)
            for c, (f, _g) in enumerate(outs):
                r = s * ell + c
                h = f - y[c]
                if not h.overlaps(rec[r]):
                    wrong.append(f"H(m): recorded f_{r + 1} ∈ {rec[r]} but recomputed {h}")
                if not h.contains(0):
                    off.append((r, h))
        if wrong and not (off and ON_M in needs):  # a box off M contradicts the statement: say that instead
            raise Reject(wrong[0])
    except _Wider as exc:  # the certificate's own balls are too wide: more precision does not help
        if OFF_M in needs:
            raise Unchecked(f"H over the certificate's point enclosure not decided ({exc})") from None
        checked.skip(f"H over the certificate's point enclosure not re-checked ({exc})")
        return None
    if off:
        r, h = off[0]
        checked.append(f"m ∉ M: f_{r + 1} ∈ {h} ∌ 0 on the whole box of the certificate's point (recomputed in Arb, "
                       f"{prec} bits): no point of the box lies on M")
    else:
        checked.append(f"H recomputed over the certificate's point enclosure in Arb ({prec} bits): all "
                       f"{len(rec)} residual enclosures contain 0 and meet the recorded ones")
    return off


def box_step(net, asig, X, Y, w, recorded, needs, checked: Log, prec) -> tuple:
    """Step 1 (shared with :mod:`.zero_set_ball`): the data and the certificate's box in Arb, the recorded residuals
    held to a point claimed on M, and H over the box. Returns (Xa, Ya, box, off) — ``off`` the residuals shown ≠ 0."""
    Xa = [[arb_of(v.rational()) for v in row] for row in X]
    Ya = [[arb_of(v.rational()) for v in row] for row in Y]
    box = _params(w["point"], net.names)
    rec = [to_arb(v) for v in recorded]
    if ON_M in needs:
        for r, v in enumerate(rec):
            if not v.contains(0):
                raise Reject(f"the witness records f_{r + 1}(m) ∈ {v}, which excludes 0, for a point claimed on M")
    return Xa, Ya, box, _box_residuals(net, asig, Xa, Ya, box, rec, needs, checked, prec)


def _run(claim, net, asig, X, Y, w, recorded, needs, checked: Log, prec) -> set:
    ell = len(net.outputs)
    m, n = len(X) * ell, len(net.names)
    # 1. H over the certificate's box
    Xa, Ya, box, off = box_step(net, asig, X, Y, w, recorded, needs, checked, prec)
    if off:
        return {OFF_M}
    if OFF_M in needs:  # not excluded at this precision: perhaps at a higher one
        raise _Wider("no residual over the box is shown ≠ 0")
    if (ks := krawczyk_columns(w, net, m)) is not None:  # minor columns outside the output layer: a Krawczyk box
        return krawczyk_facts(claim, net, asig, Xa, Ya, w, box, ks, needs, checked, prec)
    rows, cols, labels = _minor(w, net, m, n, X)

    exact = _exact_zero(w)
    if exact is False:
        raise Reject("the certificate's point is exact and H(m) ≠ 0 exactly there (recomputed in Q[e^Q])")
    if exact:
        point = box  # m' = m: H(m) = 0 was decided exactly, no re-solve needed
        checked.append(f"m' = m: the certificate's point is exact and H(m) = 0 exactly ({m} residuals recomputed "
                       "in Q[e^Q], zero test coefficient by coefficient)")
    else:
        point = _resolve(net, asig, Xa, Ya, box, labels, cols, m, checked)
    facts = {ON_M}

    # 4. the witness minor of J_H(m'), by forward mode in Arb
    wrt = set(labels)
    order = 2 if HESSIAN_DEFINED in needs or "inertia" in w else 1
    J = arb_mat(m, m)
    count, at_breaks = 0, []
    for s, x in enumerate(Xa):
        outs, pre = _forward(net, asig, x, point, wrt, order)
        count += len(pre)
        at_breaks += _at_breakpoints(asig.sigma, pre)
        for c, (_f, grad) in enumerate(outs):
            r = s * ell + c
            for i, lab in enumerate(labels):
                J[rows.index(r), i] = grad.get(lab, arb(0))
    det = J.det()
    if det.is_exact() and det == 0:
        raise Reject(f"the witness minor of J_H(m') on columns {cols!r:.80} has determinant exactly 0")
    if det.contains(0):
        raise _Wider(f"the witness minor's determinant {det} is not certified ≠ 0")
    checked.append(f"rank J_H(m') = {m} = dℓ: the witness minor (all {m} rows, columns {cols}) recomputed by "
                   f"forward mode in Arb at m', det ∈ {det.str(5)} ∌ 0")
    facts.add(RANK_FULL)
    check_class(claim, w, asig.sigma, at_breaks, checked, at=False)
    if order == 2:
        checked.append(f"σ'' exists at all {count} hidden pre-activations at m' (each inside one smooth piece of σ "
                       "or at a breakpoint where the one-sided derivatives agree): Hess L(m') is defined")
        checked.append(f"Hess L(m') = 2J_HᵀJ_H (H(m') = 0 exactly), PSD of rank {m}: inertia (n₊, n₋, n₀) = "
                       f"({m}, 0, {n - m}); ∇f_r(m') ≠ 0 for every r (rows of a nonsingular minor)")
        facts.add(HESSIAN_DEFINED)
    check_inertia(w, m, n, HESSIAN_DEFINED in facts, checked)
    return facts



def _exact_zero(w: dict):
    """For a point given exactly (no ``+/-`` anywhere): True when H(m) = 0 exactly, False when not; None when the
    point holds balls or its values are beyond the exact arithmetic (then m' is re-solved)."""
    if any("+/-" in v or "[" in v for v in w["point"].values()):
        return None
    from proofs_check.recheck.net import residuals_and_jacobian
    from proofs_check.recheck.setting import setting

    try:
        net, sigma, X, Y, params = setting(w)
        H, _ = residuals_and_jacobian(net, sigma, X, Y, params)
    except (NotExact, Unrecognized, ArithmeticError):
        return None
    return all(h.is_zero() for h in H)


def _resolve(net, asig, Xa, Ya, box, labels, cols, m, checked) -> dict:
    """Steps 2 and 3: m' (midpoints, the minor's output-layer parameters re-solved so that H(m') = 0 exactly) and
    m' ∈ the box; returns m' (Arb balls)."""
    mid = {k: v.mid() for k, v in box.items()}
    unknown = {lab: i for i, lab in enumerate(labels)}
    A, rhs = _output_system(net, asig, Xa, Ya, mid, unknown)
    det = A.det()
    if det.is_exact() and det == 0:
        raise Reject(f"the minor on columns {cols!r:.80} is singular at the re-solved point: its determinant "
                     "(the output layer's coefficients, which do not depend on the output layer) is exactly 0")
    fixed = [lab for lab in labels if box[lab].is_exact()]
    if fixed and (point := _fixed_exact(net, asig, Xa, Ya, mid, box, labels, fixed, m, checked)) is not None:
        return point
    try:
        sol = A.solve(rhs)
    except ZeroDivisionError:
        raise _Wider("the linear system for the output-layer parameters is not certified invertible") from None
    point = dict(mid)
    for lab, i in unknown.items():
        point[lab] = sol[i, 0]

    # 3. m' ∈ B
    outside = [lab for lab in unknown if not box[lab].contains(point[lab])]
    if outside:
        _outside(net, asig, Xa, Ya, box, unknown, outside, point)
    checked.append(f"m' re-solved: the hidden layers and the other output parameters at the midpoints of the "
                   f"certificate's balls (exact dyadics), the {m} parameters of the minor's columns the unique "
                   f"solution of the square affine system H = 0 (A certified invertible by arb_mat.solve): "
                   f"H(m') = 0 exactly")
    checked.append(f"m' ∈ the certificate's box: each of the {m} solved parameters lies inside its ball "
                   "(the others are the balls' midpoints), so the box holds the point m' of M")
    return point


def _fixed_exact(net, asig, Xa, Ya, mid, box, labels, fixed, m, checked) -> dict | None:
    """m' with the minor's exactly recorded coordinates kept at their exact values: the other k are re-solved from
    the k rows that involve them; every other row must hold exactly — its coefficients on the unknowns and its
    right-hand side exact zero balls (radius 0: the exact value). None when the rows do not split so."""
    free = [lab for lab in labels if lab not in fixed]
    k = len(free)
    A, rhs = _output_system(net, asig, Xa, Ya, mid, {lab: i for i, lab in enumerate(free)})
    zero = [r for r in range(m) if rhs[r, 0].is_exact() and rhs[r, 0] == 0
            and all(A[r, i].is_exact() and A[r, i] == 0 for i in range(k))]
    rest = [r for r in range(m) if r not in zero]
    if len(rest) != k:
        return None
    S, b = arb_mat(k, k), arb_mat(k, 1)
    for a, r in enumerate(rest):
        b[a, 0] = rhs[r, 0]
        for i in range(k):
            S[a, i] = A[r, i]
    try:
        sol = S.solve(b) if k else b
    except ZeroDivisionError:
        return None
    point = dict(mid)
    for i, lab in enumerate(free):
        point[lab] = sol[i, 0]
    if any(not box[lab].contains(point[lab]) for lab in free):
        return None
    checked.append(f"m' re-solved: the {len(fixed)} exactly recorded coordinates of the minor ({fixed[:4]}) kept "
                   f"exact, the hidden layers and the other parameters at their balls' midpoints; the {len(zero)} "
                   f"rows not involving the other {k} unknowns hold exactly (coefficients and right-hand side exact "
                   f"zero balls), and those {k} are the unique solution of the other rows (certified invertible by "
                   "arb_mat.solve): H(m') = 0 exactly")
    checked.append(f"m' ∈ the certificate's box: each of the {k} solved parameters lies inside its ball, the exact "
                   "ones are the recorded values, the others the balls' midpoints")
    return point


def _outside(net, asig, Xa, Ya, box, unknown, outside, point) -> None:
    """m' left the box in ``outside``: reject when no point of the box can be on M, else try more precision."""
    try:
        A, rhs = _output_system(net, asig, Xa, Ya, box, unknown)
        every = A.solve(rhs)  # encloses the solution for every choice of the other parameters in the box
    except (ZeroDivisionError, _Wider):
        every = None
    if every is not None:
        for lab in outside:
            if not every[unknown[lab], 0].overlaps(box[lab]):
                raise Reject(f"no point of the certificate's box lies on M: for every choice of the other "
                             f"parameters in the box, H = 0 forces {lab} ∈ {every[unknown[lab], 0].str(5)}, "
                             f"outside its ball {box[lab].str(5)}")
    lab = outside[0]
    raise _Wider(f"the re-solved {lab} ∈ {point[lab].str(5)} is not shown inside its ball {box[lab].str(5)}")
