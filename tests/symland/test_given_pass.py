"""The given-point forward pass (symland.networks.given_pass): the collapsed output layer and the threshold pieces
give exactly the dense pass's residuals, pieces and zeros — also at pre-activations exactly at σ's breakpoint —,
J_H mod p from the reduced point equals the old entry-by-entry reduction, and through the route a point of M
whose output weights are huge unreduced fractions is proved (and re-checked) while a point 10⁻⁶⁰ off M is not."""

import json
import random

import numpy as np
import pytest
from flint import fmpq, fmpz

from symland.activations import get_activation
from symland.atscale import construct
from symland.data import Dataset
from symland.errors import ParseError
from symland.network import mlp
from symland.networks.given_pass import GivenForward, _common, pieces_of
from symland.networks.modp import live_jacobian_mod_p
from symland.networks.passes import _Passes
from symland.numbers.exact import QUOTIENT_CHARS, Quotient, parse_exact, parse_quotient
from symland.tiers import RationalKind, cost

from proofs_check.claims import run
from proofs_check.cli import main
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck


def _data(d, p, seed=7):
    rng = random.Random(seed)
    return Dataset.from_rows([[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(p)] for _ in range(d)],
                             [fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(d)])


def _point(widths, live, rng, net, data, sigma, zeros_at=()):
    """A random point of a [p, h, h, 1] network whose first layer has ``live`` used units; ``zeros_at``: pairs
    (unit i of layer 2, data point s) whose pre-activation is put exactly at σ's breakpoint."""
    p, h = widths[0], widths[1]

    def q():
        return fmpq(rng.randint(-9, 9), rng.randint(1, 5))

    W1 = [[q() if i < live else fmpq(0) for _ in range(p)] for i in range(h)]
    b1 = [q() if i < live else fmpq(0) for i in range(h)]
    W2 = [[q() if j < live and rng.random() < 0.8 else fmpq(0) for j in range(h)] for _ in range(h)]
    b2 = [q() for _ in range(h)]
    W3 = [[q() for _ in range(h)]]
    point = mlp(widths, sigma).join([(W1, b1), (W2, b2), (W3, [q()])])
    if zeros_at:
        A1 = _Passes(net, data, RationalKind(), point, second=False, first=False).A[1]
        c = parse_exact(sigma.breakpoints[-1])
        for i, s in zeros_at:
            if live == 1 and W2[i][0] == 0:
                W2[i][0] = fmpq(1)
            b2[i] = sum((W2[i][j] * A1[j][s] for j in range(h)), fmpq(0)) - c  # z_is = c exactly
        point = mlp(widths, sigma).join([(W1, b1), (W2, b2), (W3, [q()])])
    return point


@pytest.mark.parametrize("act", ["rectpow3", "relu", "relu_after1/2", "square", "identity"])
@pytest.mark.parametrize("live", [0, 1, 2])
def test_the_collapse_gives_the_dense_residuals_pieces_and_zeros(act, live):
    sigma = get_activation(act)
    widths, data = (2, 7, 7, 1), _data(9, 2)
    net = mlp(widths, sigma)
    rng = random.Random(f"{act}-{live}")  # a str seed: the same points in every process
    for zeros_at in ((), ((0, 3), (4, 3), (5, 8))):
        point = _point(widths, live, rng, net, data, sigma, zeros_at)
        old = _Passes(net, data, RationalKind(), point, second=False, first=False)
        new = GivenForward(net, data, point)
        assert new.method == ("collapsed" if live <= 1 else "dense")
        assert new.H == old.residuals()
        assert any(v != 0 for v in new.H)  # a random point: off M
        for k, Z in enumerate(old.Z[:-1]):
            assert np.array_equal(new.pieces[k], pieces_of(sigma, Z))
        assert new.zeros == sum(1 for Z in old.Z[:-1] for row in Z for z in row if z == 0)
        if zeros_at:  # the breakpoint hits are seen exactly (−1 − j: at breakpoint j)
            last = -len(sigma.breakpoints)  # −1 − j for the last breakpoint j
            assert all(new.pieces[1][i, s] == last for i, s in zeros_at)


def test_the_jacobian_mod_p_from_the_reduced_point_is_the_old_reduction():
    sigma = get_activation("rectpow3")
    widths, data = (3, 8, 8, 1), _data(10, 3)
    net = mlp(widths, sigma)
    rng = random.Random(3)
    for live in (1, 2):
        point = _point(widths, live, rng, net, data, sigma, ((1, 2), (6, 9)))
        old = _Passes(net, data, RationalKind(), point, second=False, first=False)
        new = GivenForward(net, data, point)
        for p in (1000003, 2147483629):
            J0, c0 = live_jacobian_mod_p(old, p)
            J1, c1 = live_jacobian_mod_p(new, p)
            assert np.array_equal(c0, c1) and np.array_equal(J0, J1)
        dividing = int(fmpz(point[0].q))  # a prime dividing a denominator of the point: refused, not reduced
        if dividing > 1 and fmpz(dividing).is_prime():
            with pytest.raises(Exception, match="divides the denominator"):
                new.reduced(dividing)


def test_common_denominators_of_nested_and_unrelated_fractions():
    rng = random.Random(5)
    for _ in range(300):
        vals = [fmpq(rng.randint(-50, 50), rng.choice([1, 2, 3, 4, 6, 9, 12, 35, 49, 56, 1000003]))
                for _ in range(rng.randint(1, 9))]
        vals.append(Quotient(fmpz(6 * rng.randint(1, 9)), fmpz(4 * 7 ** rng.randint(0, 3))))
        N, D = _common(vals)
        assert D > 0 and [fmpq(n, D) for n in N] == [v if type(v) is fmpq else v.fmpq() for v in vals]


def test_a_long_fraction_stays_a_quotient_and_keeps_its_text():
    big = "3" * (QUOTIENT_CHARS + 10)
    v = parse_quotient(f"-{big}0/60")
    assert type(v) is Quotient and v.fmpq() == fmpq(-fmpz(big + "0"), 60) and v.to_text() == f"-{big}0/60"
    assert parse_quotient(f"+{big}/06").to_text() == f"{big}/6"  # not plain: printed from the integers
    for other in ("6/4", big, f"{big}/x1", f"{big}/-3", f"{big} 1/3", "٣" + big + "/3", f"{big}/3.0"):
        assert parse_quotient(other) is None  # parsed as usual (and refused there when it is not a number)
    with pytest.raises(ParseError, match="zero denominator"):
        parse_quotient(f"{big}/00")


def _unreduced_point(widths, data, sigma, shift=0):
    """{name: text} of the construction, its output weights written as huge unreduced fractions (×K/K) and the
    first one moved by ``shift``."""
    sp_ = construct(data, widths, sigma)
    names = mlp(widths, sigma).param_names()
    K = fmpz(7) ** 6000
    out = {}
    for name, v in zip(names, sp_.flat()):
        if name.startswith("W3_"):
            v = v + shift if name == "W3_0_0" else v
            out[name] = f"{v.p * K}/{v.q * K}"
            assert len(out[name]) > QUOTIENT_CHARS
        else:
            out[name] = str(v)
    return out


@pytest.mark.parametrize("at_scale", [True, False], ids=["given-mod-p", "general"])
def test_unreduced_output_weights_prove_on_M_and_a_point_just_off_M_is_not_proved(at_scale, tmp_path, monkeypatch,
                                                                                   capsys):
    if at_scale:
        monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)
    sigma = get_activation("rectpow3")
    widths, data = (2, 10, 10, 1), _data(10, 2)
    (tmp_path / "d.csv").write_text("x1,x2,y\n" + "".join(f"{r[0]},{r[1]},{y[0]}\n" for r, y in zip(data.X, data.Y)))
    for shift, verdict in ((fmpq(0), "proved"), (fmpq(1, 10**60), "hypothesis-fails")):
        pt = _unreduced_point(widths, data, sigma, shift)
        (tmp_path / "p.json").write_text(json.dumps(pt))
        main(["verify", "--data", str(tmp_path / "d.csv"), "--widths", "2,10,10,1", "--activation", "rectpow3",
              "--tier", "exact", "--claim", "thm-2.1", "--point", str(tmp_path / "p.json"), "--quiet", "--json"])
        (cert,) = json.loads(capsys.readouterr().out)
        assert cert["verdict"] == verdict, cert["evidence"]
        if at_scale:
            if verdict == "proved":
                assert "J_H mod p" in cert["witness"]["rank"]["method"]
            else:  # H ≠ 0 decided exactly: f_1 is off by W3_0_0's shift times σ(z) at data point 1
                assert cert["evidence"].startswith("m ∉ M: f_") and any(h != "0" for h in cert["witness"]["H"])
            assert cert["witness"]["point"]["W3_0_1"] == pt["W3_0_1"]  # the user's text, not printed again
        assert recheck(cert).ok


def test_the_route_at_a_point_of_M_built_by_the_instance(monkeypatch):
    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)
    sigma = get_activation("rectpow3")
    widths, data = (2, 10, 10, 1), _data(10, 2)
    pt = _unreduced_point(widths, data, sigma)
    inst = Instance("u", data, sigma, widths=widths, tier="exact", point=tuple(sorted(pt.items())))
    certs = run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved"]
    assert all(recheck(c.to_json_obj()).status == "checked" for c in certs)
