"""Re-checking a ball-tier Remark 2.2 / Section 5 certificate (zero sets): m ∈ M and m' = m + 1·(output biases) ∉ M.

The point is a box B of Arb balls (:mod:`.ball`). The facts:

1. H over B is recomputed in Arb and must meet the recorded ``H_at_m``; if a residual excludes 0, no point of B lies
   on M (the fact ``m ∉ M``, which contradicts the statement).
2. ``m ∈ M``: when every residual over B is the exact ball 0 ± 0 (a structural zero: radius 0, so H = 0 at every
   point of B), m* = the balls' midpoints. Otherwise the output-layer parameters whose recorded balls have a positive
   radius (exactly dℓ of them, |X| per output, else not decided) are re-solved as in :mod:`.ball` — the others at
   their balls' midpoints, the unknowns the unique solution of the square affine system H = 0 enclosed by
   ``arb_mat.solve`` — and the solution must lie inside their balls: m* ∈ B with H(m*) = 0 exactly.
3. ``m' ∉ M``: the recorded ``point_prime`` must be B with every output bias raised by exactly 1 (the biases
   exact, every other value the same text), so m*' = m* + 1·(output biases) is a point of it; H(m*') is recomputed
   in Arb and every residual's ball must exclude 0 (and meet the recorded ``H_at_m_prime``).
"""

from __future__ import annotations

from flint import arb

from proofs_check.recheck.arb import ArbSigma, Unchecked, _forward, _Wider, doubling, to_arb
from proofs_check.recheck.ball import _resolve, box_step
from proofs_check.recheck.exact import Unrecognized, parse
from proofs_check.recheck.net import build
from proofs_check.recheck.setting import Log, distinct_inputs
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.statements import (
    FEEDFORWARD,
    OFF_M,
    OFF_M_PRIME,
    ON_M,
    ONE_OUTPUT,
    OVERPARAMETERIZED,
    Reject,
)

__all__ = ["zero_sets_ball"]


def zero_sets_ball(claim: str, w: dict, needs: frozenset, checked) -> set:
    """The facts of a ball zero-set witness (module docstring); Reject / Unchecked as in :mod:`.ball`."""
    inst = w.get("instance")
    net, X, Y = build(inst)
    if net.semantics != "standard" or "widths" not in inst:
        raise Unchecked("the ball route evaluates layered networks only")
    ell = len(net.outputs)
    m, n = len(X) * ell, len(net.names)
    facts = {FEEDFORWARD} | ({OVERPARAMETERIZED} if n > m else set()) | ({ONE_OUTPUT} if ell == 1 else set())
    facts |= distinct_inputs(inst)
    recorded = w.get("H_at_m", w.get("H"))
    if not isinstance(recorded, (list, tuple)) or len(recorded) != m:
        raise Reject(f"the witness must record {m} residuals H(m)")
    asig = ArbSigma(sigma_for(inst))
    return facts | doubling(lambda steps, bits: _run(net, asig, X, Y, w, recorded, needs, steps, bits), 192, checked)


def _unknowns(net, box: dict, m: int, d: int) -> list:
    """The output-layer parameters whose balls have a positive radius: dℓ of them, d per output."""
    owner = {}
    for c, (_v, bias, _sign, _out, incoming) in enumerate(node for node in net.nodes if node[3]):
        owner[bias] = c
        owner.update({wl: c for _, wl in incoming})
    labels = [k for k in net.names if k in owner and not box[k].is_exact()]
    counts = [sum(owner[k] == c for k in labels) for c in range(len(net.outputs))]
    if len(labels) != m or counts != [d] * len(net.outputs):
        raise Unchecked(f"the output-layer balls of positive radius ({labels[:6]}) are not d = {d} per output, "
                        "which the re-solve of m needs")
    return labels


def _zero_on_box(net, asig, Xa, Ya, box) -> bool:
    """Every residual over the whole box B is the exact ball 0 ± 0 (Arb's enclosures are rigorous, so H = 0 at
    every point of B). A ball that merely contains 0 does not count."""
    for x, y in zip(Xa, Ya):
        outs, _ = _forward(net, asig, x, box, set(), 0)
        for c, (f, _g) in enumerate(outs):
            h = f - y[c]
            if not (h.is_exact() and h == 0):
                return False
    return True


def _run(net, asig, X, Y, w, recorded, needs, checked: Log, prec) -> set:
    ell = len(net.outputs)
    m = len(X) * ell
    Xa, Ya, box, off = box_step(net, asig, X, Y, w, recorded, needs, checked, prec)
    if off:
        return {OFF_M}
    if _zero_on_box(net, asig, Xa, Ya, box):
        point = {k: v.mid() for k, v in box.items()}
        checked.append(f"H recomputed over the whole box in Arb ({prec} bits): every one of the {m} residuals is the "
                       "exact ball 0 ± 0 (radius 0: the number 0 itself, a structural zero), so every point of the "
                       "box lies on M; m* = the balls' midpoints")
    else:
        labels = _unknowns(net, box, m, len(X))
        cols = [net.names.index(k) for k in labels]
        point = _resolve(net, asig, Xa, Ya, box, labels, cols, m, checked)
    facts = {ON_M}
    if "H_at_m_prime" not in w and OFF_M_PRIME not in needs:
        return facts
    biases = [node[1] for node in net.nodes if node[3]]
    if len(biases) != ell or None in biases:
        raise Unrecognized("m' = m + e_(output bias) needs a bias on every output node")
    prime = w["point_prime"]
    if not isinstance(prime, dict) or set(prime) != set(net.names):
        raise Reject("the recorded point_prime does not name the network's parameters")
    for k in net.names:
        if k in biases:
            if parse(prime[k]) != parse(w["point"][k]) + parse("1"):
                raise Reject(f"the recorded point_prime's {k} is not m's raised by exactly 1")
        elif prime[k].strip() != w["point"][k].strip():
            raise Reject(f"the recorded point_prime's {k} is not m's: point_prime is not m' = m + 1·(output biases)")
    shifted = dict(point)
    for k in biases:
        shifted[k] = point[k] + arb(1)
    rec2 = w.get("H_at_m_prime")
    if rec2 is not None and (not isinstance(rec2, (list, tuple)) or len(rec2) != m):
        raise Reject(f"the witness must record {m} residuals H(m')")
    zero = []
    for s, (x, y) in enumerate(zip(Xa, Ya)):
        outs, _ = _forward(net, asig, x, shifted, set(), 0)
        for c, (f, _g) in enumerate(outs):
            r, h = s * ell + c, f - y[c]
            if rec2 is not None and not h.overlaps(to_arb(rec2[r])):
                raise Reject(f"H(m'): recorded f_{r + 1} ∈ {rec2[r]} but recomputed {h.str(10)}")
            if h.contains(0):
                zero.append(r)
    if zero:
        raise _Wider(f"f_{zero[0] + 1}(m') is not shown ≠ 0")
    checked.append(f"m' = m + 1·(output biases) as recorded (exact biases, the other values the same); at "
                   f"m*' = m* + 1·(output biases), a point of it, all {m} residuals recomputed in Arb ({prec} bits) "
                   "exclude 0: every f_i(m*') ≠ 0, so L_a(m*') ≠ 0")
    facts.add(OFF_M_PRIME)
    return facts

