"""Re-check the global claims (``thm-2.1-global``, ``dim-M-global``) from the instance alone, with sympy.

Imports nothing of symland: the network, σ and H = (f_1, …, f_dℓ) are rebuilt from the instance by
:mod:`~proofs_check.recheck.global_system` (which also runs sympy's Gröbner bases in a child process with a
deadline), so a witness cannot smuggle in another system. Then:

* ``thm-2.1-global`` ``proved``: every chart "H = 0, J_Hᵀλ = 0, λ_j = 0 (j < k), λ_k = 1" gets the reduced Gröbner
  basis {1} from sympy's ``groebner`` (a second engine; weak Nullstellensatz: no solution over ℂ, so no singular
  point of M). sympy runs in a child process killed after :data:`GROEBNER_SECONDS` (charts of more than
  :data:`GROEBNER_LIMIT` unknowns are not tried): what it does not finish is ``unchecked``. A chart the engine
  found to have complex solutions only (msolve's real root isolation) is shown free of real solutions by
  :mod:`~proofs_check.recheck.realroots` (case splits and resultants in python-flint, or sympy's eliminant of a
  linear form, ending at univariate polynomials without real roots by a Sturm count), else ``unchecked``. A chart
  marked ``no-real-psatz`` (positive-dimensional over ℂ) carries an identity Σ c_e·e = c + Σ a_j q_j², c > 0,
  expanded exactly by :mod:`~proofs_check.recheck.algebraic`: no real solution, no Gröbner basis needed. A
  recorded ``real_point`` is substituted (H = 0 exactly): M ≠ ∅, so M is a smooth real (n − dℓ)-manifold.
* ``thm-2.1-global`` ``refuted``: the recorded rational w and λ satisfy H(w) = 0 and J_H(w)ᵀλ = 0 exactly, with
  λ ≠ 0 — a real singular point of M; or the recorded ``algebraic`` point w = q(θ) (θ a real root of p, shown by a
  sign change) satisfies both modulo p (:mod:`~proofs_check.recheck.algebraic`).
* ``dim-M-global`` ``proved``: the recorded rational point has H(w) = 0 exactly (M ≠ ∅); the dimension n − dℓ is
  recomputed from sympy's grevlex Gröbner basis (same child process and limits), else not re-checked; a point
  recorded ``regular`` has rank J_H = dℓ exactly (python-flint), so dim_ℝ M = n − dℓ.

``recheck_global(claim, verdict, witness)`` → (ok, reasons, checked, skipped, statement).
"""

from __future__ import annotations

import sympy as sp
from flint import fmpq, fmpq_mat

from proofs_check.recheck.algebraic import (
    MAX_MINOR,
    AlgebraicReject,
    check_on_m,
    check_positivity,
    check_regular_minor,
    check_singular_point,
)
from proofs_check.recheck.exact import TooLarge
from proofs_check.recheck.global_system import _q, _Reject, charts, groebner_in_child, residuals

__all__ = ["recheck_global", "GLOBAL_IDS", "GROEBNER_LIMIT", "residuals", "charts"]

GLOBAL_IDS = ("thm-2.1-global", "dim-M-global")
GROEBNER_LIMIT = 40  # unknowns per chart; beyond this sympy's groebner is not even tried
REAL_SECONDS = 30.0  # wall-clock limit of the real-root step by elimination (recheck.realroots), a child process
GROEBNER_SECONDS = 60.0  # wall-clock limit of all of a certificate's sympy Gröbner bases (a child process, killed)


def _point(w: dict, names: list) -> dict:
    pt = w.get("point")
    if not isinstance(pt, dict) or sorted(pt) != sorted(names):
        raise _Reject("the point does not name exactly the network's parameters")
    return {sp.Symbol(k): _q(v) for k, v in pt.items()}


def _regular(verdict: str, w: dict, names: list, H: list, checked: list, skipped: list) -> str:
    if verdict == "refuted" and "algebraic" in w:  # an irrational real singular point, exactly (recheck.algebraic)
        if "point" in w or "lam" in w:
            raise _Reject("a witness gives either a rational or an algebraic singular point, not both")
        try:
            checked.extend(check_singular_point(names, H, w["algebraic"]))
        except AlgebraicReject as exc:
            raise _Reject(str(exc)) from None
        return "w = q(θ), θ a real root of p, is a real point of M with rank J_H(w) < dℓ: 0 is not a regular value of H"
    if verdict == "refuted":
        if "real_point" in w or "algebraic_point" in w:
            raise _Reject("a real point of M is recorded only with a proof of regularity")
        subs = _point(w, names)
        lam = [_q(v) for v in w.get("lam", [])]
        if len(lam) != len(H) or all(v == 0 for v in lam):
            raise _Reject("λ must have dℓ entries, not all zero")
        bad = [i for i, h in enumerate(H) if h.xreplace(subs) != 0]
        if bad:
            raise _Reject(f"H(w) ≠ 0: f_{bad[0] + 1}(w) = {H[bad[0]].xreplace(subs)}")
        checked.append(f"H(w) = 0 at the rational point w ({len(H)} residuals, exact)")
        syms = [sp.Symbol(s) for s in names]
        for j, s in enumerate(syms):
            v = sp.expand(sum(lam[i] * sp.diff(H[i], s) for i in range(len(H))).xreplace(subs))
            if v != 0:
                raise _Reject(f"J_H(w)ᵀλ ≠ 0 in coordinate {names[j]}: {v}")
        checked.append(f"J_H(w)ᵀλ = 0 exactly with λ = ({', '.join(map(str, lam))}) ≠ 0: rank J_H(w) < {len(H)}")
        return "w ∈ M is real and rank J_H(w) < dℓ: 0 is not a regular value of H"
    if verdict != "proved":
        skipped.append(f"nothing to re-check: the verdict is {verdict!r}")
        return ""
    all_charts = charts(names, H)
    big = [(k, len(v)) for k, v, _ in all_charts if len(v) > GROEBNER_LIMIT]
    if big:
        skipped.append(f"chart λ_{big[0][0]} = 1 has {big[0][1]} unknowns > {GROEBNER_LIMIT}: sympy's Gröbner basis "
                       "not recomputed")
        return ""
    recorded = {c.get("k"): c.get("status") for c in w.get("charts", []) if isinstance(c, dict)}
    psatz = {c.get("k"): c["psatz"] for c in w.get("charts", []) if isinstance(c, dict) and "psatz" in c}
    if any(recorded.get(k) != "no-real-psatz" for k in psatz):
        raise _Reject("a positivity identity is recorded on a chart not marked 'no-real-psatz'")
    for k in sorted(psatz, key=str):  # no real solution by an exact identity (recheck.algebraic): no Gröbner basis
        if k not in {kk for kk, _v, _e in all_charts}:
            raise _Reject(f"a positivity identity for a chart λ_{k} = 1 that does not exist")
        try:
            checked.append(check_positivity(names, H, k, psatz[k]))
        except AlgebraicReject as exc:
            raise _Reject(str(exc)) from None
    all_charts = [c for c in all_charts if c[0] not in psatz]
    if any(recorded.get(k) == "no-real-psatz" for k, _v, _e in all_charts):
        raise _Reject("a chart is marked 'no-real-psatz' without its identity")
    complex_only = [k for k, _v, _e in all_charts if recorded.get(k) == "no-real"]
    real = groebner_in_child(w["instance"], REAL_SECONDS, "real", {"only": complex_only}) if complex_only else {}
    shown = {k for k in complex_only if real.get(("real", k), (False,))[0]}
    todo = [k for k, _v, _e in all_charts if k not in shown]
    results = groebner_in_child(w["instance"], GROEBNER_SECONDS, plan={
        "skip": sorted(shown | set(psatz)), "fallback": sorted(set(complex_only) - shown)}) if todo else {}
    missing = [k for k, _v, _e in all_charts if k not in results and k not in complex_only]
    if missing:  # sympy out of time: the statement over ℝ may still be shown by elimination
        real.update(groebner_in_child(w["instance"], REAL_SECONDS, "real", {"only": missing}))
    results.update(real)
    for k, variables, eqs in all_charts:
        no_real, how = results.get(("real", k), (False, "the real-root step did not finish in time"))
        line = f"chart λ_{k} = 1 ({len(variables)} unknowns, {len(eqs)} equations): no real solution — {how}"
        if recorded.get(k) == "no-real":  # complex solutions only (msolve): that none is real, re-derived
            if not no_real:
                skipped.append(f"chart λ_{k} = 1 has complex solutions; that none is real (msolve) is not shown by "
                               f"the re-checker: {how}")
                return ""
            checked.append(line)
            continue
        if k not in results:
            if no_real:  # the statement over ℝ holds; the recorded "no complex solution" is not re-derived
                checked.append(line)
                skipped.append(f"chart λ_{k} = 1: no solution over ℂ ({recorded.get(k)!r:.20}) not re-checked — "
                               f"sympy's Gröbner basis did not finish within {GROEBNER_SECONDS:g} s")
                continue
            skipped.append(f"sympy's Gröbner basis of chart λ_{k} = 1 did not finish within the re-checker's "
                           f"{GROEBNER_SECONDS:g} s")
            return ""
        if not results[k]:
            raise _Reject(f"chart λ_{k} = 1 has solutions over ℂ (sympy's Gröbner basis is not {{1}}); "
                          "a proof over ℝ from real root isolation is not re-checked here")
        checked.append(f"chart λ_{k} = 1 ({len(variables)} unknowns, {len(eqs)} equations): "
                       "Gröbner basis {1} (sympy)")
    if psatz or any(line.startswith("chart") and "equations): no real solution" in line for line in checked):
        text = "no real (w, λ ≠ 0) with H(w) = 0, J_H(w)ᵀλ = 0: 0 is a regular value of H on all of M (over ℝ)"
    else:
        text = "no (w, λ ≠ 0) over ℂ with H(w) = 0, J_H(w)ᵀλ = 0: 0 is a regular value of H on all of M"
    if "algebraic_point" in w:  # M ∋ q(θ), θ a real root of p: M ≠ ∅ (recheck.algebraic)
        if "real_point" in w:
            raise _Reject("a witness gives either a rational or an algebraic point of M, not both")
        try:
            checked.extend(check_on_m(names, H, w["algebraic_point"])[2])
        except AlgebraicReject as exc:
            raise _Reject(str(exc)) from None
        text += f"; M is a nonempty smooth real manifold of dimension n − dℓ = {len(names) - len(H)}"
    if "real_point" in w:  # M ≠ ∅: with 0 a regular value, M is a smooth (n − dℓ)-manifold (regular value theorem)
        subs = _point({"point": w["real_point"]}, names)
        bad = [i for i, h in enumerate(H) if h.xreplace(subs) != 0]
        if bad:
            raise _Reject(f"the recorded real point is not on M: f_{bad[0] + 1} = {H[bad[0]].xreplace(subs)}")
        checked.append("the recorded rational point lies on M (H = 0 exactly): M ≠ ∅")
        text += f"; M is a nonempty smooth real manifold of dimension n − dℓ = {len(names) - len(H)}"
    return text


def _dimension(verdict: str, w: dict, names: list, H: list, checked: list, skipped: list) -> str:
    n, m = len(names), len(H)
    if verdict not in ("proved", "refuted"):
        skipped.append(f"nothing to re-check: the verdict is {verdict!r}")
        return ""
    if (w.get("n"), w.get("m")) != (n, m):  # both required by the format (global.v1.json)
        raise _Reject(f"the recorded (n, dℓ) = ({w.get('n')}, {w.get('m')}) is not the instance's ({n}, {m})")
    checked.append(f"n = {n} parameters and dℓ = {m} residuals recomputed from the instance")
    if n > GROEBNER_LIMIT:
        skipped.append(f"{n} unknowns > {GROEBNER_LIMIT}: the dimension is not recomputed")
        dim = None
    elif "dim" not in (res := groebner_in_child(w["instance"], GROEBNER_SECONDS, "dimension")):
        skipped.append(f"sympy's Gröbner basis of H did not finish within {GROEBNER_SECONDS:g} s: the dimension is "
                       "not recomputed")
        dim = None
    else:
        dim, size = res["dim"]
        checked.append(f"dim_ℂ H⁻¹(0) = {dim} (sympy grevlex Gröbner basis, {size} polynomials)")
        if w.get("dimension") is not None and w["dimension"] != dim:
            raise _Reject(f"recorded dimension {w['dimension']} but recomputed {dim}")
    if verdict == "refuted":
        if dim is None:
            return ""
        if dim == n - m:
            raise _Reject(f"dim_ℂ H⁻¹(0) = {dim} = n − dℓ: nothing is refuted")
        return f"dim_ℂ H⁻¹(0) = {dim} ≠ n − dℓ = {n - m}"
    if dim is not None and dim != n - m:
        raise _Reject(f"dim_ℂ H⁻¹(0) = {dim} ≠ n − dℓ = {n - m}")
    if "algebraic_point" in w:  # w = q(θ), θ a real root of p (recheck.algebraic)
        if "point" in w:
            raise _Reject("a witness gives either a rational or an algebraic point of M, not both")
        try:
            checked.extend(check_on_m(names, H, w["algebraic_point"])[2])
            regular = w.get("regular") is True
            if regular and m > MAX_MINOR:  # too large to expand here: not vouched, not rejected
                skipped.append(f"rank J_H = dℓ at the algebraic point: dℓ = {m} > {MAX_MINOR}, the minor is not "
                               "expanded")
                regular = False
            elif regular:  # a dℓ × dℓ minor invertible modulo p: rank J_H(w) = dℓ
                checked.append(check_regular_minor(names, H, w["algebraic_point"], w.get("minor")))
        except AlgebraicReject as exc:
            raise _Reject(str(exc)) from None
    else:
        subs = _point(w, names)
        bad = [i for i, h in enumerate(H) if h.xreplace(subs) != 0]
        if bad:
            raise _Reject(f"the recorded point is not on M: f_{bad[0] + 1} = {H[bad[0]].xreplace(subs)}")
        checked.append("the rational point lies on M (H = 0 exactly)")
        regular = w.get("regular") is True
        if regular:  # rank J_H = dℓ at a real point: M is a smooth (n − dℓ)-manifold near it
            rows = [[sp.diff(h, sp.Symbol(v)).xreplace(subs) for v in names] for h in H]
            rank = fmpq_mat([[fmpq(int(sp.Rational(x).p), int(sp.Rational(x).q)) for x in r] for r in rows]).rank()
            if rank != m:
                raise _Reject(f"the point is recorded regular but rank J_H = {rank} < dℓ = {m} there")
            checked.append(f"rank J_H = dℓ = {m} at the point (exact): M is a smooth (n − dℓ)-manifold near it")
    if regular and dim is not None:
        return (f"dim_ℂ H⁻¹(0) = n − dℓ = {n - m}, and M is a smooth (n − dℓ)-manifold near a real point: "
                f"dim_ℝ M = {n - m}")
    return "" if dim is None else f"dim_ℂ H⁻¹(0) = n − dℓ = {n - m} and M has a real point"


def recheck_global(claim: str, verdict: str, witness: dict):
    """(ok, reasons, checked, skipped, statement) for a global certificate (see the module docstring)."""
    checked, skipped = [], []
    try:
        if verdict in ("inconclusive", "hypothesis-fails", "numerical"):
            return True, [], [], [f"nothing to re-check: the verdict is {verdict!r}"], ""
        inst = witness.get("instance")
        if not isinstance(inst, dict):
            raise _Reject("the witness names no instance")
        names, H = residuals(inst)
        derive = _regular if claim == "thm-2.1-global" else _dimension
        statement = derive(verdict, witness, names, H, checked, skipped)
    except _Reject as exc:
        return False, [str(exc)], checked, skipped, ""
    except TooLarge as exc:  # beyond a size limit of the kernel: may well be valid, so neither accepted nor rejected
        return True, [], checked, skipped + [f"not established: {exc}"], ""
    except (KeyError, IndexError, AttributeError, TypeError, ValueError, ZeroDivisionError) as exc:
        return False, [f"malformed witness: {type(exc).__name__}: {exc}"], checked, skipped, ""
    if not statement and not skipped:
        skipped.append("the statement was not established")
    return True, [], checked, skipped, statement
