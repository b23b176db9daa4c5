"""The at-scale routes of Theorem 2.1 / Proposition 2.3 give the general route's verdicts and re-check."""

import random

import pytest
from flint import fmpq

from symland.activations import get_activation
from symland.atscale import construct
from symland.budget import check_size, estimate_for
from symland.data import Dataset
from symland.network import mlp
from symland.tiers import cost

from proofs_check.claims import run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

RECT3 = get_activation("rectpow3")


def _data(d, p):
    rng = random.Random(7)
    return Dataset.from_rows([[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(p)] for _ in range(d)],
                             [fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(d)])


@pytest.fixture()
def small_scale(monkeypatch):
    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)  # take the at-scale routes on small instances


def _point(widths, data, bump=0):
    sp = construct(data, widths, RECT3)
    sp.out_num[0] += bump * sp.out_den[0]
    return tuple(sorted(zip(mlp(widths, RECT3).param_names(), (str(v) for v in sp.flat()))))


@pytest.mark.parametrize("given", [False, True])
def test_the_at_scale_routes_prove_and_the_certificates_recheck(small_scale, given):
    widths, data = (2, 12, 12, 1), _data(12, 2)  # n = 205 > 150: no full Hessian
    inst = Instance("s", data, RECT3, widths=widths, tier="exact", point=_point(widths, data) if given else None)
    certs = run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved"]
    assert ("J_H mod p" if given else "output-weight columns") in certs[0].witness["rank"]["method"]
    for c in certs:
        assert recheck(c.to_json_obj()).status == "checked"
        tampered = c.to_json_obj()
        tampered["witness"]["rank"]["minor"]["det_mod_p"] = tampered["witness"]["rank"]["minor"]["det_mod_p"] % 97 + 1
        assert recheck(tampered).status == "rejected"


def test_a_given_point_off_M_is_hypothesis_fails_through_the_route(small_scale):
    widths, data = (2, 12, 12, 1), _data(12, 2)
    inst = Instance("s", data, RECT3, widths=widths, tier="exact", point=_point(widths, data, bump=1))
    (cert,) = run([inst], ["thm-2.1"], ctx=Context())
    assert cert.verdict == "hypothesis-fails" and cert.evidence.startswith("m ∉ M: f_")
    assert recheck(cert.to_json_obj()).ok


def test_the_size_guard_accepts_a_million_parameters_at_the_constructed_point_and_refuses_the_dense_route():
    data = _data(1000, 20)
    est = estimate_for(mlp((20, 1000, 1000, 1), RECT3), data)
    assert est.route == "constructed" and est.seconds < 120 and est.memory < 2**30
    check_size(est)
    big = Dataset.from_rows([[i] for i in range(2000)], [[i % 3, 1] for i in range(2000)])  # ℓ = 2: general route
    with pytest.raises(Exception, match="predicted peak memory"):
        check_size(estimate_for(mlp((1, 3000, 3000, 2), RECT3), big))


@pytest.mark.parametrize("act", ["relu", "rectpow3"])
def test_the_constructed_route_gives_the_general_routes_verdicts_also_where_J_is_undefined(monkeypatch, act):
    widths, data = (2, 12, 12, 1), _data(12, 2)  # unused units of layer 1 sit at z = 0: relu' is undefined there
    inst = Instance("s", data, get_activation(act), widths=widths, tier="exact")
    general = [c.verdict for c in run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())]
    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)
    scale = [c.verdict for c in run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())]
    assert scale == general == (["hypothesis-fails"] * 2 if act == "relu" else ["proved"] * 2)


def test_the_constructed_route_does_not_build_the_dense_general_construction(small_scale, monkeypatch):
    import proofs_check.instance as instance_module

    def refuse(*args, **kwargs):
        raise AssertionError("the general construction (a dense d × d solve) was built at scale")

    monkeypatch.setattr(instance_module, "interpolate", refuse)
    widths, data = (2, 12, 12, 1), _data(12, 2)
    inst = Instance("s", data, RECT3, widths=widths, tier="exact")
    certs = run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved"]
    assert "output-weight columns" in certs[0].witness["rank"]["method"]


def test_the_size_guard_takes_d_5000_at_the_constructed_point():
    est = estimate_for(mlp((20, 5000, 5000, 1), RECT3), _data(5000, 20))
    assert est.route == "constructed" and 10 < est.seconds < 20 and 2**30 < est.memory < 1.5 * 2**30
    check_size(est, max_seconds=600)  # the CLI's default --timeout: no refusal (it predicted ~890 s)
