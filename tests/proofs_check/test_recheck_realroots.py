"""The real-root step of thm-2.1-global re-derived by the kernel (recheck/realroots.py): a chart msolve found to
have complex solutions only is shown free of real solutions by case splits, resultants and Sturm counts — never
for a system with a real solution; the genuine certificate (written by the engine with msolve, stored here) is
checked under --strict without msolve; a mutated one is never checked unless its statement is true."""

import copy
import json
import random
from pathlib import Path

import pytest
import sympy as sp
from flint import fmpq_poly

from symland.algebra.msolve import find_msolve

from proofs_check.cli import main
from proofs_check.recheck import recheck
from proofs_check.recheck.realroots import no_real_by_elimination, no_real_solution, real_root_count

CERT = Path(__file__).parent / "data" / "global_no_real.json"  # poly:0,1,0,1, widths (1,1,1,1), no bias, Y = (1,1)
x, y, z = sp.symbols("x y z")


def test_sturm_counts_distinct_real_roots_exactly():
    assert real_root_count(fmpq_poly([-2, 0, 1])) == 2  # t² − 2
    assert real_root_count(fmpq_poly([1, 0, 1])) == 0  # t² + 1
    assert real_root_count(fmpq_poly([0, 0, 1])) == 1  # t², a double root
    assert real_root_count(fmpq_poly([-1, 0, 0, 1]) * fmpq_poly([1, 0, 1])) == 1  # (t³ − 1)(t² + 1)
    assert real_root_count(fmpq_poly([6, -5, 1]) ** 2) == 2  # ((t − 2)(t − 3))²


@pytest.mark.parametrize("eqs, shown", [
    ([x**2 + 1, y - 3], True),
    ([x * y - 1, x**2 + y**2 - 1], True),  # x⁴ − x² + 1 has no real root
    ([(x**2 + 1) * (1 + y), 2 * x * (1 + y), x**2 + 1], True),
    ([x * y - 1, x - y], False),  # (1, 1)
    ([x**2 - 2, y], False),  # (√2, 0): irrational, still real
    ([x * y * z - 1, x - y, y - z], False),
])
def test_no_real_solution_is_shown_only_without_real_solutions(eqs, shown):
    names = sorted({str(s) for e in eqs for s in e.free_symbols})
    assert no_real_by_elimination(eqs, names)[0] is shown
    if len(names) <= 2:
        assert no_real_solution(eqs, names)[0] is shown


def test_a_planted_real_solution_is_never_shown_away():
    rng = random.Random(20)
    for _ in range(40):
        point = {s: sp.Rational(rng.randint(-4, 4), rng.randint(1, 3)) for s in (x, y, z)}
        eqs = []
        for _ in range(rng.randint(2, 4)):
            e = sum(rng.randint(-3, 3) * x**rng.randint(0, 3) * y**rng.randint(0, 2) * z**rng.randint(0, 2)
                    for _ in range(rng.randint(2, 5)))
            e = sp.expand(e * (rng.randint(0, 1) * (x**2 + 1) + 1))  # sometimes a factor without real zeros
            e = e - e.subs(point)
            if e != 0:
                eqs.append(e)
        if eqs:
            assert not no_real_by_elimination(eqs, ["x", "y", "z"])[0], eqs


def _mutant(change):
    obj = json.loads(CERT.read_text(encoding="utf-8"))
    change(obj["witness"])
    return recheck(obj)


def test_the_genuine_msolve_certificate_is_checked_without_msolve(tmp_path, capsys):
    r = recheck(json.loads(CERT.read_text(encoding="utf-8")))
    assert r.status == "checked", r.summary()
    assert r.checked[0].startswith("chart λ_1 = 1 (4 unknowns, 5 equations): no real solution — case splits")
    assert r.checked[1] == "chart λ_2 = 1 (3 unknowns, 5 equations): Gröbner basis {1} (sympy)"
    assert r.statement.endswith("(over ℝ)")
    assert main(["recheck", str(CERT), "--strict"]) == 0
    capsys.readouterr()


def test_mutants_are_rejected_or_left_unchecked(monkeypatch):
    from proofs_check.recheck import global_claims as rg

    monkeypatch.setattr(rg, "GROEBNER_SECONDS", 5.0)
    # σ = t³ − t has real critical points: chart λ_1 has real solutions, which elimination never shows away
    r = _mutant(lambda w: w["instance"].update(activation="poly:0,-1,0,1"))
    assert r.status == "unchecked" and "that none is real (msolve) is not shown" in r.summary()
    # the same with the chart recorded as complex-only: still never checked
    r = _mutant(lambda w: w["instance"].update(activation="square", widths=[1, 1, 1], bias=True))
    assert r.status == "unchecked", r.summary()  # Y = (1, 1): a real singular point (engine: refuted)
    # a chart recorded without complex solutions that sympy finds to have some: rejected
    def forged(w):
        w["instance"].update(activation="square", widths=[1, 1, 1], bias=True)
        w["charts"][0]["status"] = "empty"
    r = _mutant(forged)
    assert r.status == "rejected" and "chart λ_1 = 1 has solutions over ℂ" in r.reasons[0]
    r = _mutant(lambda w: w["instance"].update(activation="tanh"))
    assert r.status == "rejected" and "not a polynomial activation" in r.reasons[0]


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_the_engine_writes_complex_only_charts_that_the_kernel_checks():
    from symland.data import Dataset

    from proofs_check.claims import run
    from proofs_check.instance import Instance

    for act, Y in (("poly:0,1,0,1", [1, 1]), ("poly:0,1,0,1", [1, -1])):
        inst = Instance("s", Dataset.from_rows([[1], [2]], Y), act, widths=(1, 1, 1, 1), bias=False)
        (c,) = run([inst], ["thm-2.1-global"])
        assert c.verdict == "proved" and [ch["status"] for ch in c.witness["charts"]] == ["no-real", "empty"]
        r = recheck(copy.deepcopy(c.to_json_obj()))
        assert r.status == "checked" and "no real solution" in r.checked[0]
