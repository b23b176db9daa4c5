"""--tier auto: the calibrated choice, the fallback when a tier overruns its budget, σ outside Q[e^Q] going to
the ball tier, the message for a σ that is not rectified, and a suggestion in every inconclusive."""

import json
import random
import time
from fractions import Fraction

import pytest

from symland.activations import get_activation
from symland.budget import DeadlineExpired, deadline, run_until
from symland.data import Dataset

from proofs_check import auto
from proofs_check.claims import run
from proofs_check.cli import main
from proofs_check.instance import Context, Instance


def fractional(d, seed=0):
    """d points in 2-D with fractional values (−41/13, …): the data that make Q[e^Q] blow up."""
    rng = random.Random(1000 + d + seed)
    seen, X, Y = set(), [], []
    while len(X) < d:
        x = tuple(Fraction(rng.randint(-99, 99), rng.choice((3, 7, 10, 13))) for _ in range(2))
        if x not in seen:
            seen.add(x)
            X.append([str(v) for v in x])
            Y.append([str(Fraction(rng.randint(-50, 50), rng.choice((3, 7, 10))))])
    return Dataset.from_rows(X, Y)


def _csv(tmp_path, data, name="pts"):
    path = tmp_path / f"{name}.csv"
    path.write_text("x1,x2,y\n" + "".join(f"{x[0]},{x[1]},{y[0]}\n" for x, y in zip(data.X, data.Y)))
    return str(path)


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))
    return "done"


def test_the_point_of_lemma_3_3_carries_2_to_the_d_minus_1_exponential_terms_on_fractional_data():
    assert [auto.symbolic_terms(Instance("f", fractional(d), get_activation("smoolu"))) for d in (3, 6, 8)] \
        == [4, 32, 128]
    assert auto.symbolic_terms(Instance("f", fractional(12), get_activation("smoolu"))) == auto.TERM_CAP


def test_the_calibrated_model_keeps_symbolic_for_d_4_and_sends_d_8_12_40_to_ball():
    sm = get_activation("smoolu")
    assert auto.choose(Instance("d4", fractional(4), sm))[0] == "symbolic"
    for d in (8, 12, 40):
        tier, why = auto.choose(Instance(f"d{d}", fractional(d), sm))
        assert tier == "ball" and "symbolic predicted" in why and "terms e^q" in why
    assert auto.predict(Instance("d8", fractional(8), sm), "symbolic") > 5 * auto.SYMBOLIC_FAST
    assert auto.choose(Instance("r", fractional(12), get_activation("rectpow3")))[0] == "exact"


def test_calibrated_auto_certifies_smoolu_d_12_fractional_data_in_seconds():
    inst = Instance("d12", fractional(12), get_activation("smoolu"))
    t = time.perf_counter()
    cert = run([inst], ["prop-2.3"], ctx=Context())[0]
    assert (cert.tier, cert.verdict) == ("ball", "certified")
    assert "inertia (n₊, n₋, n₀) = (12, 0, 37)" in cert.evidence
    assert time.perf_counter() - t < 30
    assert cert.details[-1].startswith("tier auto → ball: symbolic predicted")


@pytest.mark.parametrize("sigma", ["tanh", "softplus", "sigmoid"])
def test_sigma_outside_the_exact_ring_goes_to_ball_never_to_tier_none(sigma):
    tier, why = auto.choose(Instance("t", fractional(5), get_activation(sigma)))
    assert tier == "ball" and "leaves the exact ring Q[e^Q]" in why
    point = (("W1_0_0", "1/2"), ("W1_0_1", "1/3"), ("b1_0", "1/5"), ("W2_0_0", "2"), ("b2_0", "-1"))
    inst = Instance("t", fractional(2), get_activation(sigma), widths=(2, 1, 1), point=point)
    cert = run([inst], ["thm-2.1"], ctx=Context())[0]
    assert cert.tier == "ball" and cert.verdict != "inconclusive" and "m ∉ M" in cert.evidence


def test_tanh_with_tier_ball_says_sigma_is_not_rectified_and_names_the_point_option(capsys, tmp_path):
    path = _csv(tmp_path, fractional(4))
    for tier in ("ball", "auto"):
        code = main(["verify", "--data", path, "--activation", "tanh", "--claim", "prop-2.3", "--tier", tier,
                     "--json", "--quiet"])
        cert = json.loads(capsys.readouterr().out)[0]
        assert (code, cert["tier"], cert["verdict"]) == (1, "ball", "inconclusive")
        assert cert["evidence"] == ("no point of M constructed: tanh: not rectified (σ(-1) = -tanh(1) ≠ 0 on "
                                    "t ≤ 0), decided exactly, so Lemma 3.3 does not apply — give a point of M "
                                    "with --point FILE, or use a rectified σ (smoolu, rectpow3, relu)")
        assert "lower triangular" not in cert["evidence"]


def test_a_non_rectified_rational_sigma_is_not_refuted_at_a_constructed_point():
    cert = run([Instance("id", fractional(4), get_activation("poly:0,1"))], ["thm-2.1"], ctx=Context())[0]
    assert (cert.tier, cert.verdict) == ("none", "inconclusive")
    assert "poly:0,1: not rectified" in cert.evidence and "--point FILE" in cert.evidence


def test_deadline_stops_python_work_and_nests_inside_run_until():
    t = time.monotonic()
    with deadline(0.2, swallow=True) as dl:
        _spin(5)
    assert dl.expired and dl.bounded and time.monotonic() - t < 1.5

    def inner():
        with deadline(0.2, swallow=True) as dl:
            _spin(5)
        return dl.expired, _spin(0.05)

    assert run_until([("a", inner)], 5.0, lambda k, why: why) == ([(True, "done")], False)

    def outer_first():
        with deadline(5, swallow=True) as dl:
            _spin(5)
        return dl.expired

    results, expired = run_until([("a", outer_first)], 0.2, lambda k, why: "timed out")
    assert (results, expired) == (["timed out"], True)
    with pytest.raises(DeadlineExpired), deadline(5):
        raise DeadlineExpired()


def test_a_tier_that_overruns_the_budget_falls_back_to_ball(monkeypatch):
    monkeypatch.setitem(auto.COST, "symbolic", {"base": 0.0, "per_entry": 0.0, "per_term": 0.0})
    inst = Instance("d8", fractional(8), get_activation("smoolu"))  # symbolic really takes ~1 minute here
    ctx = Context(time_budget=7.0)
    assert ctx.auto_choice(inst)[0] == "symbolic"
    t = time.perf_counter()
    certs = run([inst], ["prop-2.3", "thm-2.1"], ctx=ctx)
    assert time.perf_counter() - t < 12
    assert [(c.tier, c.verdict) for c in certs] == [("ball", "certified")] * 2
    note = certs[0].details[-1]
    assert note.startswith("tier auto → ball: smoolu needs e^q values") and "; symbolic overran " in note
    assert note.endswith(" s of the 7 s budget → ball")
    assert certs[0].seconds >= 7.0 - auto._reserve(inst, "ball") - 0.5  # the overrun is counted


def test_no_time_left_skips_straight_to_the_next_tier(monkeypatch):
    monkeypatch.setitem(auto.COST, "symbolic", {"base": 0.0, "per_entry": 0.0, "per_term": 0.0})
    inst = Instance("d5", fractional(5), get_activation("smoolu"))
    ctx = Context(time_budget=1e-6)  # spent by the planning: no tier with a fallback gets any time
    cert = run([inst], ["thm-2.1"], ctx=ctx)[0]
    assert cert.tier == "float"
    assert cert.details[-1].endswith("symbolic: no time left of the 1e-06 s budget → ball; "
                                     "ball: no time left of the 1e-06 s budget → float")


def test_every_inconclusive_names_the_tier_or_option_that_would_decide_it(capsys, tmp_path):
    frac = _csv(tmp_path, fractional(12), "frac")
    close = tmp_path / "close.csv"
    close.write_text("x,y\n1,1\n1.0000000000000000000000000000000000000001,-1\n2,3\n")
    point = tmp_path / "p.json"
    point.write_text(json.dumps({"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "1"}))
    one = tmp_path / "one.csv"
    one.write_text("x,y\n1,0\n")
    runs = [
        ["--data", frac, "--activation", "tanh", "--tier", "ball"],
        ["--data", frac, "--activation", "tanh", "--tier", "symbolic"],
        ["--data", frac, "--activation", "smoolu", "--tier", "float"],
        ["--data", frac, "--activation", "smoolu", "--tier", "mp", "--dps", "15"],
        ["--data", str(close), "--activation", "smoolu", "--tier", "ball", "--prec", "64", "--max-prec", "128"],
        ["--data", str(one), "--activation", "relu", "--widths", "1,1,1", "--point", str(point), "--tier", "ball"],
        ["--data", frac, "--activation", "poly:0,1", "--tier", "exact"],
        ["--data", frac, "--activation", "smoolu", "--tier", "symbolic", "--timeout", "0.5"],
    ]
    seen = []
    for argv in runs:
        main(["verify", *argv, "--claim", "thm-2.1", "--claim", "prop-2.3", "--json", "--quiet"])
        seen += [c for c in json.loads(capsys.readouterr().out) if c["verdict"] == "inconclusive"]
    assert len(seen) >= 14
    hints = ("try --", "use --", "raise --", "give ", "rerun with")
    assert all(any(h in c["evidence"] for h in hints) for c in seen), \
        [c["evidence"] for c in seen if not any(h in c["evidence"] for h in hints)]
    assert any(c["evidence"].startswith("stopped: the --timeout of 0.5 s") and "rerun with a larger --timeout" in
               c["evidence"] for c in seen)
