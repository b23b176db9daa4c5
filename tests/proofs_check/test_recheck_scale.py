"""The re-checker on the at-scale exact proofs whose witness omits the point: the point's generator (a, gap) is
re-derived into the triangular output-weight minor (recheck/scale.py). Genuine certificates are checked under
--strict; mutated ones (prime, determinant, generator, residuals, columns, class) are rejected."""

import copy
import json
import random

import pytest
from flint import fmpq

from symland.activations import get_activation
from symland.data import Dataset
from symland.tiers import cost

from proofs_check.claims import run
from proofs_check.cli import main
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck


def _data(d, p, seed=7):
    rng = random.Random(seed)
    return Dataset.from_rows([[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(p)] for _ in range(d)],
                             [fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(d)])


@pytest.fixture(scope="module", params=[((2, 12, 12, 1), "rectpow3"), ((3, 40, 1), "rectpow3"),
                                        ((2, 3, 8, 16, 1), "rectpow3"), ((12, 12, 1), "relu")],
                ids=["cor-3.4", "lem-3.3", "three-hidden", "relu"])
def certs(request):
    widths, act = request.param
    mp = pytest.MonkeyPatch()
    mp.setattr(cost, "SCALE_ENTRIES", 0)  # the at-scale route on small instances
    try:
        inst = Instance("s", _data(12, widths[0]), get_activation(act),  # n > 150: no full Hessian
                        widths=widths, tier="exact")
        out = run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())
    finally:
        mp.undo()
    assert [c.verdict for c in out] == ["proved", "proved"]
    objs = [json.loads(c.to_json()) for c in out]
    for o in objs:
        assert "point" not in o["witness"] and set(o["witness"]["generator"]) == {"a", "gap"}
        assert "output-weight columns" in o["witness"]["rank"]["method"]
    return objs


def _mutant(cert, change):
    obj = copy.deepcopy(cert)
    change(obj["witness"])
    return recheck(obj)


def test_generated_points_are_checked(certs, tmp_path, capsys):
    for c in certs:
        r = recheck(c)
        assert r.status == "checked", r.summary()
        assert r.checked[1].startswith("the generated point rebuilt from a = ")
        assert r.checked[2].startswith("H(m) = 0 exactly: V = A⁻¹y exists")
    d = len(certs[1]["witness"]["H"])
    assert any(s.startswith("σ'' exists") and f"inertia ({d}, 0, " in s for s in recheck(certs[1]).checked)
    path = tmp_path / "certs.json"
    path.write_text(json.dumps(certs))
    assert main(["recheck", str(path), "--strict"]) == 0
    capsys.readouterr()


def _minor(w):
    return w["rank"]["minor"]


MUTANTS = {
    "another prime": lambda w: _minor(w).update(prime=2147483647),
    "not a prime": lambda w: _minor(w).update(prime=_minor(w)["prime"] + 1 if _minor(w)["prime"] % 2 else 91),
    "determinant": lambda w: _minor(w).update(det_mod_p=_minor(w)["det_mod_p"] % 97 + 1),
    "generator gap": lambda w: w["generator"].update(gap="2"),
    "generator a": lambda w: w["generator"].update(a=["1"] + ["1/3"] * (len(w["generator"]["a"]) - 1)),
    "columns shifted": lambda w: _minor(w).update(cols=[j + 1 for j in _minor(w)["cols"]]),
    "a residual": lambda w: w["H"].__setitem__(0, "1/2"),
    "the inputs": lambda w: w["instance"]["X"][0].__setitem__(0, "1/7"),
    "a short minor": lambda w: w["rank"].update(lower=len(w["H"]) - 1),
}


@pytest.mark.parametrize("what", sorted(MUTANTS))
def test_mutated_generator_certificates_are_rejected(certs, what):
    for c in certs:
        if what == "generator a" and len(c["witness"]["generator"]["a"]) < 2:
            continue
        r = _mutant(c, MUTANTS[what])
        assert r.status == "rejected", (what, c["witness"]["instance"]["widths"], r.summary())


def test_other_targets_y_give_another_true_statement(certs):
    # the generated point is defined from the data: with other y it is another point of M (V = A⁻¹y adapts) and
    # the minor (which does not depend on y) is the same — a true statement, so checked
    r = _mutant(certs[0], lambda w: w["instance"]["Y"][0].__setitem__(0, "1/7"))
    assert r.status == "checked", r.summary()


def test_a_class_above_sigmas_is_rejected_and_a_point_omitted_without_generator_is_unchecked(certs):
    c = certs[0]
    if c["witness"]["instance"]["activation"] == "rectpow3":  # unused units at z = 0: C^2 only
        assert c["witness"]["smoothness"] == "C^2"
        r = _mutant(c, lambda w: w.update(smoothness="smooth"))
        assert r.status == "rejected" and "order 3 differ" in r.reasons[0]
    else:  # relu with d units: no pre-activation at 0
        assert c["witness"]["smoothness"] == "smooth" and recheck(c).status == "checked"
    r = _mutant(c, lambda w: w.pop("generator"))
    assert r.status == "unchecked" and "the witness omits the point" in r.summary()
    r = _mutant(c, lambda w: w.update(generator={"a": w["generator"]["a"]}))
    assert r.status == "rejected" and "at witness/generator: 'gap' is a required property" in r.reasons[0]


@pytest.mark.slow
def test_d_1000_exact_is_rechecked_within_120_seconds(tmp_path, capsys):
    """Issue 20's target: the d = 1000 certificates (n = 1,023,001) re-checked --strict within 120 s."""
    import time

    widths = (20, 1000, 1000, 1)
    inst = Instance("d1000", _data(1000, 20), get_activation("rectpow3"), widths=widths, tier="exact")
    certs = run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved"]
    path = tmp_path / "d1000.json"
    path.write_text(json.dumps([c.to_json_obj() for c in certs]))
    start = time.perf_counter()
    assert main(["recheck", str(path), "--strict"]) == 0
    assert time.perf_counter() - start < 120
    assert capsys.readouterr().out.count("ok ") == 2


def test_the_count_of_pre_activations_at_the_breakpoint_is_held_to_the_record(certs):
    from fractions import Fraction

    from proofs_check.recheck.sigma import sigma_for
    from proofs_check.recheck.smoothness import _hits

    for c in certs:
        at = c["witness"].get("smoothness_at")
        if c["witness"]["instance"]["activation"] == "relu":
            assert not at
            continue
        assert at[0][0] in ("0", 0) and at[0][1] > 0
        for delta in (1, -1):
            r = _mutant(c, lambda w, k=delta: w["smoothness_at"][0].__setitem__(1, w["smoothness_at"][0][1] + k))
            assert r.status == "rejected", r.summary()
    sigma = sigma_for({"activation": "rectpow3"})
    assert _hits(sigma, {Fraction(0): 5, Fraction(1): 3}) == _hits(sigma, [Fraction(0)] * 5 + [Fraction(1)] * 3) \
        == {Fraction(0): 5}
