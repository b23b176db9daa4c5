"""What :func:`proofs_check.recheck.recheck` re-verifies for each claim: at a point (Theorem 2.1, Proposition 2.3,
Theorem 4.1, Remark 4.2) and for the zero sets of Remark 2.2 / Section 5.

Each deriver is ``derive(claim, witness, needs, log) -> facts``: it re-derives from the witness the facts of
:mod:`proofs_check.recheck.statements` (``needs``: the facts the certificate's statement rests on, so that costly
ones are computed only when asked), appends one line to ``log`` per step verified and raises :class:`Reject` (or
``BadWitness``/``NotExact``) at the first recorded value that does not hold. Whether the facts establish the
certificate's (claim, verdict) is decided by :func:`proofs_check.recheck.statements.judge`, not here. The
constructions of Lemma 3.3 and Corollary 3.4 are in :mod:`proofs_check.recheck.lemma`.
"""

from __future__ import annotations

from sympy import isprime

from proofs_check.recheck.exact import NotExact, Num, Unrecognized, parse, to_mod_p
from proofs_check.recheck.linalg import congruence_diagonal, det_mod_p, independent
from proofs_check.recheck.net import BadWitness, preactivations, residuals_and_jacobian
from proofs_check.recheck.setting import Log, check_inertia, distinct_inputs, setting
from proofs_check.recheck.smoothness import check_class, rational_hits
from proofs_check.recheck.statements import (
    FEEDFORWARD,
    HESSIAN_DEFINED,
    OFF_M,
    OFF_M_PRIME,
    ON_M,
    ONE_OUTPUT,
    OVERPARAMETERIZED,
    RANK_DEFICIENT,
    RANK_FULL,
    Reject,
)

__all__ = ["Reject", "Log", "setting", "at_point", "zero_sets", "FULL_JACOBIAN_LIMIT"]

FULL_JACOBIAN_LIMIT = 60  # recompute all of J_H (tangent basis, congruence) only for n up to this


def _ints(value, n: int, what: str) -> list[int]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                                                       for i in value):
        raise BadWitness(f"{what} must be indices in [0, {n}), got {value!r}")
    if len(set(value)) != len(value):
        raise BadWitness(f"{what} repeat an index: {value!r}")
    return list(value)


def _minor_cols(rank: dict, n: int) -> list[int]:
    minor = rank.get("minor") or {}
    return _ints(minor.get("cols", []), n, "minor columns")


def _check_minor(rank: dict, J: dict, m: int, n: int, checked: list) -> int:
    """Rank ≥ ``lower`` from the minor: entries recomputed, mapped to F_p, det ≡ det_mod_p ≢ 0."""
    lower = rank["lower"]
    if not isinstance(lower, int) or not 0 <= lower <= min(m, n):
        raise BadWitness(f"rank lower bound {lower!r} impossible for a {m}×{n} Jacobian")
    if lower == 0:
        return 0
    minor = rank["minor"]
    rows, cols = _ints(minor["rows"], m, "minor rows"), _ints(minor["cols"], n, "minor columns")
    p, det = minor["prime"], minor["det_mod_p"]
    if len(rows) != lower or len(cols) != lower:
        raise Reject(f"a {len(rows)}×{len(cols)} minor cannot prove rank ≥ {lower}")
    if not (isinstance(p, int) and p >= 2 and isprime(p)):
        raise Reject(f"the minor's modulus {p!r} is not a prime")
    if not (isinstance(det, int) and 0 < det < p):
        raise Reject(f"det_mod_p = {det!r} is not a nonzero residue mod p")
    red = minor["reduction"]
    if red.get("kind") == "rational":
        N, x0 = 1, None
    elif red.get("kind") == "exppoly":
        N, x0 = red["N"], red["x0"]
        if not (isinstance(N, int) and N >= 1 and isinstance(x0, int)):
            raise BadWitness(f"exppoly reduction needs integers N ≥ 1 and x0, got {red!r}")
    else:
        raise BadWitness(f"unknown reduction {red!r}")
    M = [[to_mod_p(J[(r, c)], p, N, x0) for c in cols] for r in rows]
    got = det_mod_p(M, p)
    if got != det:
        raise Reject(f"the witness minor (rows {rows}, columns {cols}) has det ≡ {got} mod p, not {det}")
    how = "" if x0 is None else f" under e^(k/{N}) ↦ {x0}^k"
    checked.append(f"rank J_H(m) ≥ {lower}: the {lower}×{lower} minor, entries recomputed, has det ≢ 0 mod "
                   f"p = {p}{how}")
    return lower


def _kernel(vectors, J: dict, m: int, n: int, count: int, checked: list) -> None:
    """``count`` independent exact vectors with J_H v = 0: rank J_H ≤ n − count."""
    if not isinstance(vectors, (list, tuple)) or len(vectors) != count:
        raise Reject(f"the tangent basis must hold n − rank = {count} vectors")
    V = []
    for v in vectors:
        if not isinstance(v, (list, tuple)) or len(v) != n:
            raise BadWitness(f"a tangent vector must have n = {n} entries")
        V.append([parse(x) for x in v])
    for k, v in enumerate(V):
        for r in range(m):
            acc = Num()
            for j in range(n):
                if v[j].terms:
                    acc = acc + J[(r, j)] * v[j]
            if not acc.is_zero():
                raise Reject(f"tangent vector {k + 1} is not in ker J_H(m): row {r + 1} gives {acc}")
    if not independent(V):
        raise Reject("the tangent vectors are not shown linearly independent")
    checked.append(f"{count} independent exact vectors with J_H(m) v = 0 (all {m} rows recomputed): "
                   f"rank J_H(m) ≤ {n - count}")


def _residuals(H: list, recorded, what: str) -> None:
    if not isinstance(recorded, (list, tuple)) or len(recorded) != len(H):
        raise Reject(f"{what} must list {len(H)} residuals")
    for r, (got, rec) in enumerate(zip(H, recorded)):
        if parse(rec) != got:
            raise Reject(f"{what}: recorded f_{r + 1} = {rec} but recomputed {got}")


def at_point(claim: str, w: dict, needs: frozenset, checked: Log) -> set:
    """The facts at the witness point (Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2; a point off M).

    Always: the instance's shape (ℓ = 1, layered, n > dℓ) and membership, H(m) recomputed (m ∈ M or m ∉ M). On M:
    rank J_H(m) = dℓ from the witness minor (and the recorded smoothness class of M near m held to σ's class at
    the pre-activations, :mod:`proofs_check.recheck.smoothness`), or rank J_H(m) < dℓ from the kernel vectors;
    Hess L(m) exists when
    ``needs`` asks for it; recorded extras (tangent basis, gradient indices, congruence diagonal) must hold.
    """
    if "point" not in w and "generator" in w:  # the at-scale constructed point, by its generator
        from proofs_check.recheck.scale import at_generator
        return at_generator(claim, w, needs, checked)
    from proofs_check.recheck import given  # a large listed point of a layered network: fmpq_mat/nmod_mat
    if given.applies(w) and (facts := given.at_given(claim, w, needs, checked)) is not None:
        return facts
    if "point" not in w and "point_omitted" in w:
        raise Unrecognized(f"the witness omits the point ({w['point_omitted']!s:.120}): nothing to recompute")
    net, sigma, X, Y, params = setting(w)
    m, n = len(X) * len(net.outputs), len(net.names)
    facts = _shape(w, net, m, n)
    rank = w.get("rank") if isinstance(w.get("rank"), dict) else {}
    basis = w.get("tangent_basis")
    gradient = w.get("gradient_nonzero_index")
    hessian = "congruence_diagonal" in w
    full_rank_claimed = rank.get("lower") == m and rank.get("upper") == m
    deficient_claimed = isinstance(rank.get("upper"), int) and not isinstance(rank.get("upper"), bool) \
        and 0 <= rank["upper"] < m
    full = n <= FULL_JACOBIAN_LIMIT and (basis is not None or hessian or gradient is not None)
    cols = set(range(n)) if full or deficient_claimed else set(_minor_cols(rank, n)) if full_rank_claimed else set()
    if gradient is not None and not full and isinstance(gradient, (list, tuple)):
        cols |= {j for j in gradient if isinstance(j, int) and 0 <= j < n}
    H, J = residuals_and_jacobian(net, sigma, X, Y, params, sorted(cols))
    _residuals(H, w.get("H"), "H(m)")
    nonzero = [r for r, v in enumerate(H) if not v.is_zero()]
    if nonzero:
        checked.append(f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 recomputed ({len(nonzero)} nonzero)")
        return facts | {OFF_M}
    facts.add(ON_M)
    checked.append(f"H(m) = 0 exactly ({m} residuals recomputed; zero test coefficient by coefficient)")
    r = None
    if full_rank_claimed:
        _check_minor(rank, J, m, n, checked)
        facts.add(RANK_FULL)
        r = m
        zs = [z for x in X for z in preactivations(net, sigma, x, params)]
        check_class(claim, w, sigma, rational_hits(zs), checked)
        if basis is not None:
            if full:
                _kernel(basis, J, m, n, n - m, checked)
            else:
                checked.skip(f"tangent basis not re-checked (n = {n} > {FULL_JACOBIAN_LIMIT})")
    elif deficient_claimed:
        r = rank["upper"]
        _kernel(basis, J, m, n, n - r, checked)
        checked.append(f"rank J_H(m) ≤ {r} < {m}: 0 is not a regular value at m")
        facts.add(RANK_DEFICIENT)
    if HESSIAN_DEFINED in needs or hessian or gradient is not None or "inertia" in w:
        _twice_differentiable(net, sigma, X, params, checked)
        facts.add(HESSIAN_DEFINED)
        if r is not None:
            _hessian_extras(w, J, m, n, r, full, gradient, checked)
    check_inertia(w, r, n, HESSIAN_DEFINED in facts, checked)
    return facts


def _shape(w: dict, net, m: int, n: int) -> set:
    facts = set()
    if n > m:
        facts.add(OVERPARAMETERIZED)
    if len(net.outputs) == 1:
        facts.add(ONE_OUTPUT)
    if "widths" in w["instance"] and "network" not in w["instance"]:
        facts.add(FEEDFORWARD)
    return facts | distinct_inputs(w["instance"])



def _twice_differentiable(net, sigma, X: list, params: dict, checked: list) -> None:
    """Hess L(m) exists: σ'' is defined at every (rational) pre-activation, e.g. not a ReLU kink or a C¹ joint."""
    count = 0
    for x in X:
        for z in preactivations(net, sigma, x, params):
            if z.is_rational():  # an irrational z ∈ Q[e^Q] is no (rational) breakpoint of σ
                try:
                    sigma.value(z, 2)
                except NotExact as exc:
                    raise Reject(f"Hess L(m) is not defined: σ'' at the pre-activation {z}: {exc}") from None
            count += 1
    checked.append(f"σ'' exists at all {count} hidden pre-activations: Hess L(m) is defined")


def _hessian_extras(w: dict, J: dict, m: int, n: int, rank: int, full: bool, gradient, checked: Log) -> None:
    """Proposition 2.3 at m ∈ M with rank J_H(m) = ``rank`` (re-verified): ∇f_r ≠ 0 (rank-one Hess f_r²) where the
    witness names an index (``None``: ∇f_r = 0, checked when all of J_H is recomputed), and the congruence diagonal
    of Hess L = 2J_HᵀJ_H with ``rank`` positive and n − ``rank`` zero entries."""
    if gradient is not None:
        if not isinstance(gradient, (list, tuple)) or len(gradient) != m:
            raise BadWitness("gradient_nonzero_index must list one index per residual")
        for r, j in enumerate(gradient):
            if j is None and rank < m:
                if full and any(not J[(r, k)].is_zero() for k in range(n)):
                    raise Reject(f"∇f_{r + 1}(m) is recorded as 0 but has a nonzero entry")
                if not full:
                    checked.skip(f"∇f_{r + 1}(m) = 0 not re-checked (n = {n} > {FULL_JACOBIAN_LIMIT})")
                continue
            if not (isinstance(j, int) and not isinstance(j, bool) and 0 <= j < n) or J[(r, j)].is_zero():
                raise Reject(f"∇f_{r + 1}(m) has no nonzero entry at index {j!r}")
            if full and any(not J[(r, k)].is_zero() for k in range(j)):
                raise Reject(f"index {j} is not the first nonzero entry of ∇f_{r + 1}(m)")
        if rank == m:
            checked.append(f"∇f_r(m) ≠ 0 for all {m} r: each Hess(f_r²)(m) = 2∇f_r∇f_rᵀ has rank one")
        else:
            checked.append("the recorded gradient indices ∇f_r(m) recomputed")
    diag = w.get("congruence_diagonal")
    if diag is not None:
        if not isinstance(diag, (list, tuple)):
            raise BadWitness("congruence_diagonal must be a list")
        D = [parse(v) for v in diag]
        rational = all(J[(r, j)].is_rational() for r in range(m) for j in range(n)) if full else False
        if full and rational:
            S = [[2 * sum((J[(r, i)].rational() * J[(r, j)].rational() for r in range(m)), 0) for j in range(n)]
                 for i in range(n)]
            mine = congruence_diagonal(S)
            if len(D) != n or any(not d.is_rational() or d.rational() != e for d, e in zip(D, mine)):
                raise Reject("the congruence diagonal differs from the symmetric elimination of 2J_HᵀJ_H")
            checked.append("congruence P·(2J_HᵀJ_H)·Pᵀ = diag(D) recomputed: D as in the witness")
        else:
            checked.skip("congruence diagonal not recomputed (J_H not rational or n large): only its signs read")
        signs = [d.sign() for d in D]
        if len(D) != n or signs.count(1) != rank or signs.count(0) != n - rank:
            raise Reject(f"the congruence diagonal does not have {rank} positive and {n - rank} zero entries")
    checked.append(f"Hess L(m) = 2J_HᵀJ_H (all f_r(m) = 0) has inertia (n₊, n₋, n₀) = ({rank}, 0, {n - rank})")


def zero_sets(claim: str, w: dict, needs: frozenset, checked: Log) -> set:
    """Remark 2.2 / Section 5: m ∈ M or m ∉ M from H(m) recomputed, and m' ∉ M from H(m') recomputed at
    m' = m with every output bias raised by 1 (so f_i(m') = f_i(m) − 1)."""
    if "point" not in w or "instance" not in w:
        raise Unrecognized("the witness carries no point: H(m) and H(m') cannot be recomputed (only recorded values)")
    net, sigma, X, Y, params = setting(w)
    m, n = len(X) * len(net.outputs), len(net.names)
    facts = _shape(w, net, m, n)
    H, _ = residuals_and_jacobian(net, sigma, X, Y, params)
    _residuals(H, w.get("H_at_m", w.get("H")), "H(m)")
    nonzero = [r for r, v in enumerate(H) if not v.is_zero()]
    if nonzero:
        checked.append(f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 recomputed ({len(nonzero)} nonzero)")
        return facts | {OFF_M}
    facts.add(ON_M)
    checked.append(f"H(m) = 0 exactly ({m} residuals recomputed): every L_a(m) = Σ|f_i(m)|^a = 0")
    if "H_at_m_prime" in w or OFF_M_PRIME in needs:
        shifted = dict(params)
        labels = [node[1] for node in net.nodes if node[3]]  # the output nodes' bias labels
        if len(labels) != len(net.outputs) or None in labels:
            raise Unrecognized("m' = m + e_(output bias) needs a bias on every output node")
        for name in labels:  # m' = m with every output bias raised by 1
            shifted[name] = shifted[name] + Num.of(1)
        recorded = w["point_prime"]  # required by the format: it must be this m'
        if not isinstance(recorded, dict) or set(recorded) != set(shifted) or any(
                parse(recorded[k]) != v for k, v in shifted.items()):
            raise Reject("the recorded point_prime is not m' = m + 1·(output biases)")
        H2, _ = residuals_and_jacobian(net, sigma, X, Y, shifted)
        _residuals(H2, w.get("H_at_m_prime"), "H(m')")
        if all(not v.is_zero() for v in H2):
            facts.add(OFF_M_PRIME)
            checked.append("H(m') recomputed at m' = m + 1·(output biases): every f_i(m') ≠ 0, so L_a(m') ≠ 0")
    return facts
