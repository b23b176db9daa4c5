"""The global claims thm-2.1-global and dim-M-global (msolve), their witnesses and the re-checker.

Tests that run msolve are marked ``msolve`` and skipped when it is not installed (``pip install 'symland[global]'``).
"""

import ast
import json
from fractions import Fraction
from pathlib import Path

import pytest

from symland.algebra.msolve import _parse_solve, find_msolve
from symland.data import Dataset

from proofs_check.claims import ALL_IDS, resolve, run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

GLOBAL = ["thm-2.1-global", "dim-M-global"]


def _inst(Y, act="square", widths=(1, 1, 1), bias=True):
    return Instance(f"X=(1,2), Y={tuple(Y)}", Dataset.from_rows([[1], [2]], Y), act, widths=widths, bias=bias)


def _tampered(cert, edit):
    obj = json.loads(json.dumps(cert.to_json_obj()))
    edit(obj["witness"])
    return recheck(obj)


def test_the_global_claims_are_not_in_the_default_run_but_can_be_selected():
    assert not set(GLOBAL) & set(resolve(None)) and not set(GLOBAL) & set(ALL_IDS)
    assert resolve(["thm-2.1-global"]) == ("thm-2.1-global",)


def test_msolve_answers_are_parsed_exactly():
    assert _parse_solve("[-1]:\n", 2, 0.0).status == "empty"
    assert _parse_solve("[1, 3, -1, []]:\n", 3, 0.0).status == "positive"
    none_real = _parse_solve("[0, [1,\n[]\n]]:\n", 2, 0.0)
    assert none_real.status == "finite" and none_real.real == ()
    two = _parse_solve("[0, [1,\n[[[1 / 2, 1 / 2], [-3 / 2^2, 1]], [[1, 1], [0, 0]]]\n]]:\n", 2, 0.0)
    assert two.real == (((Fraction(1, 2), Fraction(1, 2)), (Fraction(-3, 4), Fraction(1))),
                        ((Fraction(1), Fraction(1)), (Fraction(0), Fraction(0))))


def test_a_missing_msolve_gives_inconclusive_naming_the_extra(monkeypatch):
    monkeypatch.setenv("SYMLAND_MSOLVE", "/nonexistent/msolve")
    for c in run([_inst([1, 2])], GLOBAL):
        assert c.verdict == "inconclusive" and "pip install 'symland[global]'" in c.evidence
        assert recheck(c).status == "unchecked"


def test_a_non_polynomial_sigma_fails_the_hypothesis_without_running_msolve(monkeypatch):
    monkeypatch.setenv("SYMLAND_MSOLVE", "/nonexistent/msolve")
    (c,) = run([_inst([1, 2], act="smoolu")], ["thm-2.1-global"])
    assert c.verdict == "hypothesis-fails" and "polynomial" in c.evidence


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
class TestWithMsolve:
    def test_distinct_labels_make_zero_a_regular_value_everywhere_and_sympy_agrees(self):
        (c,) = run([_inst([1, 2])], ["thm-2.1-global"])
        assert c.verdict == "proved" and c.tier == "exact"
        assert [ch["status"] for ch in c.witness["charts"]] == ["empty", "empty"]
        assert [ch["size"]["variables"] for ch in c.witness["charts"]] == [5, 4]
        r = recheck(c)
        assert r.status == "checked" and len(r.checked) == 3 and "Gröbner basis {1} (sympy)" in r.checked[0]
        assert r.checked[2] == "the recorded rational point lies on M (H = 0 exactly): M ≠ ∅"
        assert r.statement.endswith("M is a nonempty smooth real manifold of dimension n − dℓ = 2")

    def test_equal_labels_give_an_exact_singular_point_on_the_plane_v_zero(self):
        (c,) = run([_inst([1, 1])], ["thm-2.1-global"])
        assert c.verdict == "refuted"
        assert dict(c.witness["point"]) == {"W1_0_0": "0", "b1_0": "0", "W2_0_0": "0", "b2_0": "-1"}
        assert list(c.witness["lam"]) == ["1", "-1"]
        r = recheck(c)
        assert r.status == "checked" and r.statement.startswith("w ∈ M is real and rank J_H(w) < dℓ")

    def test_a_tampered_singular_point_or_lambda_is_rejected(self):
        (c,) = run([_inst([1, 1])], ["thm-2.1-global"])
        off_m = _tampered(c, lambda w: w["point"].__setitem__("b2_0", "-2"))
        assert off_m.status == "rejected" and "H(w) ≠ 0" in off_m.reasons[0]
        zero = _tampered(c, lambda w: w.__setitem__("lam", ["0", "0"]))
        assert zero.status == "rejected" and "not all zero" in zero.reasons[0]
        wrong_lam = _tampered(c, lambda w: w.__setitem__("lam", ["1", "1"]))
        assert wrong_lam.status == "rejected" and "J_H(w)ᵀλ ≠ 0" in wrong_lam.reasons[0]

    def test_a_proof_moved_to_other_labels_is_rejected_by_the_second_engine(self):
        (c,) = run([_inst([1, 2])], ["thm-2.1-global"])
        r = _tampered(c, lambda w: w["instance"].__setitem__("Y", [["1"], ["1"]]))
        assert r.status == "rejected" and "has solutions over ℂ" in r.reasons[0]

    def test_the_second_engine_out_of_time_leaves_the_proof_unchecked_not_accepted(self, monkeypatch):
        from proofs_check.recheck import global_claims as rg

        (c,) = run([_inst([1, 2])], ["thm-2.1-global"])
        monkeypatch.setattr(rg, "GROEBNER_SECONDS", 0.0)
        r = recheck(c)  # the elimination of recheck.realroots still shows no real solution: the statement over ℝ
        assert r.status == "partial" and "no solution over ℂ ('empty') not re-checked" in r.skipped[0]
        monkeypatch.setattr(rg, "REAL_SECONDS", 0.0)
        r = recheck(c)
        assert r.status == "unchecked" and "did not finish" in r.skipped[0]

    def test_a_deadline_too_short_is_inconclusive_and_says_so(self):
        (c,) = run([_inst([1, 2])], ["thm-2.1-global"], ctx=Context(time_budget=1e-9))
        assert c.verdict == "inconclusive" and "deadline" in c.evidence and "--timeout" in c.evidence
        assert recheck(c).status == "unchecked"

    def test_the_dimension_is_n_minus_d_with_an_exact_real_point_both_rechecked(self):
        for Y in ([1, 2], [1, 1]):
            (c,) = run([_inst(Y)], ["dim-M-global"])
            assert c.verdict == "proved" and c.witness["dimension"] == 2
            r = recheck(c)
            assert r.status == "checked" and any("dim_ℂ H⁻¹(0) = 2" in s for s in r.checked)
        bad = _tampered(c, lambda w: w.__setitem__("dimension", 3))
        assert bad.status == "rejected" and "recomputed 2" in bad.reasons[0]

    def test_an_empty_complex_variety_refutes_the_dimension(self):
        # no bias, identity: f(x) = v·w·x, so f(1) = 1 and f(2) = 3 are incompatible over ℂ
        inst = Instance("linear", Dataset.from_rows([[1], [2]], [1, 3]), "identity", widths=(1, 1, 1, 1),
                        bias=False)
        (c,) = run([inst], ["dim-M-global"])
        assert c.verdict == "refuted" and "empty over ℂ" in c.evidence and c.witness["dimension"] == -1
        assert recheck(c).status == "checked"

    def test_a_cubic_without_bias_is_singular_everywhere_when_its_residuals_are_proportional(self):
        # f(x) = x³·Σ v_i w_i³: with Y = (1, 8), H = (s − 1, 8s − 8) and J_H has rank ≤ 1 everywhere;
        # with Y = (1, 2), M is empty, so 0 is (vacuously) a regular value
        def cubic(Y):
            inst = Instance("cubic", Dataset.from_rows([[1], [2]], Y), "poly:0,0,0,1", widths=(1, 2, 1), bias=False)
            return run([inst], ["thm-2.1-global"])[0]

        sing, empty = cubic([1, 8]), cubic([1, 2])
        assert sing.verdict == "refuted" and list(sing.witness["lam"]) == ["1", "-1/8"]
        assert empty.verdict == "proved"
        assert recheck(sing).status == "checked" and recheck(empty).status == "checked"

    def test_two_hidden_layers_are_decided_and_rechecked(self):
        certs = run([_inst(Y, widths=(1, 1, 1, 1)) for Y in ([1, 2], [1, 1])], ["thm-2.1-global"])
        assert [c.verdict for c in certs] == ["proved", "refuted"]
        assert [recheck(c).status for c in certs] == ["checked", "checked"]

    def test_symland_verify_and_recheck_on_the_command_line(self, tmp_path, capsys):
        from proofs_check.cli import main

        data = tmp_path / "d.csv"
        data.write_text("x,y\n1,1\n2,1\n", encoding="utf-8")
        out = tmp_path / "c.json"
        status = main(["verify", "--data", str(data), "--widths", "1,1,1", "--activation", "square",
                       "--claim", "thm-2.1-global", "--json", "--quiet"])
        text = capsys.readouterr().out
        # an exact refutation of a global claim on your data is a finding (exit 0), with no paper expectation
        assert status == 0 and json.loads(text)[0]["verdict"] == "refuted" and json.loads(text)[0]["expected"] is None
        out.write_text(text, encoding="utf-8")
        assert main(["recheck", str(out)]) == 0
        assert "checked" in capsys.readouterr().out


def test_the_global_rechecker_imports_nothing_of_symland():
    for name in ("global_claims.py", "global_system.py", "algebraic.py"):
        _imports_nothing_of_symland(Path(__file__).resolve().parents[2] / "proofs_check" / "recheck" / name)


def _imports_nothing_of_symland(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        assert not any(m == "symland" or m.startswith("symland.") or
                       m.startswith("proofs_check") and not m.startswith("proofs_check.recheck.") for m in mods), mods


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_complex_only_singular_points_are_decided_over_the_reals_by_root_isolation():
    # H = (x² + 1)(1 + y): singular points (±i, −1) only; real M = {y = −1} is regular everywhere
    from sympy import QQ
    from sympy.polys.rings import ring

    from symland.algebra.global_regular import krull_dimension, singular_points
    from symland.algebra.polysys import PolySystem

    R, x, y = ring("x,y", QQ)
    res = singular_points(PolySystem(["x", "y"], [(x**2 + 1) * (1 + y)], 2, 1, R), 30)
    assert res.status == "none-real" and [c["status"] for c in res.charts] == ["no-real"]
    import sympy as sp

    X, Y, Z = sp.symbols("x y z")
    assert krull_dimension([X * Y, Y * Z], ["x", "y", "z"]) == 2 and krull_dimension([sp.Integer(1)], ["x"]) == -1
