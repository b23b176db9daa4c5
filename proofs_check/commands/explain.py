"""Where the hypotheses bite: for each hypothesis, an exact instance where it fails and the
conclusion fails with it.

Each row is a certificate of the claim whose hypothesis is violated, with the expected verdict
(``hypothesis-fails`` or ``refuted``) and, in its details and witness, the exact reason the
conclusion breaks. ``symland explain`` prints them; ``symland verify`` includes them.
"""

from __future__ import annotations

from dataclasses import replace

from flint import fmpq

from symland import linalg
from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.certificate import Certificate, CertificateList
from proofs_check.claims import CLAIMS
from proofs_check.instance import Context, Instance

__all__ = ["rows", "explain"]

CUBE = "rectpow3"


def _with(cert: Certificate, details, **witness) -> Certificate:
    merged = {**cert.witness, **witness}
    return replace(cert, details=tuple(cert.details) + tuple(details), witness=merged)


def duplicate_inputs(ctx) -> list[Certificate]:
    data = Dataset.from_rows([[0, 1], [1, 0], [0, 1]], [1, 0, 3])
    inst = Instance("why-distinct", data, get_activation("smoolu"), expected=(("thm-4.1", "hypothesis-fails"),))
    cert = CLAIMS["thm-4.1"](inst, ctx)
    why = ("x_1 = x_3, so f_w(x_1) = f_w(x_3) for every w: f_1 − f_3 ≡ y_3 − y_1 = 2 ≠ 0, "
           "H never vanishes and M = ∅")
    return [_with(replace(cert, evidence=cert.evidence + "; and M = ∅ (f_1 − f_3 ≡ 2)"), [why],
                  empty_because={"rows": [1, 3], "difference": "2"})]


def constant_labels(ctx) -> list[Certificate]:
    """0 is not a regular value: dead units give rank 1 and a piece of M of dimension n − 1."""
    data = Dataset.from_rows([[0], [1], [2]], [2, 2, 2])
    dead = {"W1_0_0": "1", "W1_1_0": "1", "W1_2_0": "1", "b1_0": "3", "b1_1": "4", "b1_2": "5",
            "W2_0_0": "1", "W2_0_1": "1", "W2_0_2": "1", "b2_0": "-2"}
    inst = Instance("why-constant-labels", data, get_activation(CUBE), point=tuple(dead.items()),
                    expected=(("thm-2.1", "refuted"),))
    cert = CLAIMS["thm-2.1"](inst, ctx)
    why = ["every pre-activation x_i − b_j at m is < 0 (x ≤ 2 < 3 ≤ b_j): an open condition, and there "
           "f ≡ −b_out; so near m, M = {b_out = −2}: a piece of dimension n − 1 = 9, not n − d = 7"]
    out = [_with(cert, why)]
    r = [fmpq(1, 1000), fmpq(2, 1000), fmpq(3, 1000)]
    pert = data.with_labels([[y[0] + ri] for y, ri in zip(data.Y, r)])
    inst2 = Instance("why-constant-labels+r", pert, get_activation(CUBE))
    cert2 = CLAIMS["thm-2.1"](inst2, ctx)
    out.append(_with(replace(cert2, evidence="Sard step, labels + r = (1/1000, 2/1000, 3/1000): " + cert2.evidence),
                     ["after the perturbation the dead region misses M̃: there f is constant but the "
                      "labels are not", "at the Lemma 3.3 point for the new labels, rank J = d: 0 is a "
                      "regular value there"], perturbation=[str(v) for v in r]))
    return out


def lazy_activation(ctx) -> list[Certificate]:
    """σ = 0 on (0, 1]: rectified (non-decreasing) but A is singular for the paper's x₀."""
    data = Dataset.from_rows([[0], [1], [2]], [1, -1, 2])
    lazy = get_activation("relu_after1")
    bad = Instance("why-strictly-increasing", data, lazy, expected=(("lem-3.3", "refuted"),))
    half = Instance("why-strictly-increasing·4a", data, lazy, a=(4,), expected=(("lem-3.3", "refuted"),))
    good = Instance("why-strictly-increasing·4a·4gap", data, lazy, a=(4,), gap=4)
    cert = CLAIMS["lem-3.3"](bad, ctx)
    still = CLAIMS["lem-3.3"](half, ctx)
    fixed = CLAIMS["lem-3.3"](good, ctx)
    return [_with(cert, ["the half-gaps (c_i − c_(i−1))/2 = 1/2 lie where σ = 0, so A_ii = 0; the "
                         "paper's Definition 3.1 allows such σ, the proof needs σ > 0 on (0, ∞)"]),
            _with(replace(still, evidence="a rescaled by 4: " + still.evidence),
                  ["rescaling a alone is not enough: x₀ is tied to a·x₀ = a·x₁ − 1, so the first "
                   "half-gap stays 1/2 and A_11 = σ(1/2) = 0"]),
            _with(replace(fixed, evidence="a and a·x₁ − a·x₀ rescaled by 4: " + fixed.evidence),
                  ["with a·x₀ = a·x₁ − 4 as well, every half-gap is 2 > 1, where σ > 0: A is invertible"])]


def polynomial_activation(ctx) -> list[Certificate]:
    """σ(t) = t²: f is a quadratic polynomial in x, so four points off every parabola are not fit."""
    data = Dataset.from_rows([[0], [1], [2], [3]], [0, 0, 0, 1])
    inst = Instance("why-rectified", data, get_activation("square"), expected=(("thm-4.1", "hypothesis-fails"),))
    cert = CLAIMS["thm-4.1"](inst, ctx)
    V = [[x[0] ** k for k in range(3)] for x in data.X]  # 1, x, x² at the data
    lam = linalg.kernel_basis([list(col) for col in zip(*V)])[0]  # λ with Σ λ_i q(x_i) = 0 for q ∈ span
    pairing = sum((li * y[0] for li, y in zip(lam, data.Y)), fmpq(0))
    assert pairing != 0
    why = (f"every f_w(x) = Σ m_j (a_j x − b_j)² − b lies in span{{1, x, x²}}; λ = "
           f"({', '.join(map(str, lam))}) annihilates that span on the data but Σ λ_i y_i = {pairing} ≠ 0: "
           "no w fits, M = ∅")
    return [_with(replace(cert, evidence=cert.evidence + f"; and M = ∅ (λ·y = {pairing})"), [why],
                  empty_because={"lambda": [str(v) for v in lam], "lambda_dot_y": str(pairing)})]


def relu_kink(ctx) -> list[Certificate]:
    data = Dataset.from_rows([[0], [1], [2]], [0, 1, 2])
    point = {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}  # f(x) = relu(x) fits the data
    inst = Instance("why-smooth", data, get_activation("relu"), widths=(1, 1, 1), point=tuple(point.items()),
                    expected=(("thm-2.1", "hypothesis-fails"),))
    cert = CLAIMS["thm-2.1"](inst, ctx)
    why = ("m ∈ M (f = relu fits y = x on 0, 1, 2) but f_1(w) = W2·relu(−b1) near m has one-sided "
           "derivatives ∂/∂b1 = −1 (b1 < 0) and 0 (b1 > 0): J_H(m) does not exist")
    return [_with(cert, [why])]


def too_few_parameters(ctx) -> list[Certificate]:
    data = Dataset.from_rows([[0], [1], [2], [3], [4]], [0, 1, 0, 1, 0])
    inst = Instance("why-overparameterized", data, get_activation(CUBE), widths=(1, 1, 1),
                    expected=(("thm-2.1", "hypothesis-fails"),))
    return [CLAIMS["thm-2.1"](inst, ctx)]


def global_versus_local(ctx) -> list[Certificate]:
    """Regular at a point, singular elsewhere: σ = t², X = (1, 2), Y = (1, 1) (notebook 09). Only with msolve."""
    from symland.algebra.msolve import find_msolve

    if find_msolve() is None:  # the extra symland[global] is not installed: no global row
        return []
    data = Dataset.from_rows([[1], [2]], [1, 1])
    point = (("W1_0_0", "0"), ("b1_0", "1"), ("W2_0_0", "1"), ("b2_0", "0"))
    local = Instance("why-global", data, get_activation("square"), widths=(1, 1, 1), point=point)
    glob = Instance("why-global", data, get_activation("square"), widths=(1, 1, 1),
                    expected=(("thm-2.1-global", "refuted"),))
    why = ["f = v(wx − b)² − c; at (w, b, v, c) = (0, 1, 1, 0) the rows of J_H are (−2, 2, 1, −1) and (−4, 2, 1, −1): "
           "regular there; but M ⊇ {v = 0, c = −1}, where rank J_H = 1 on the lines w = 0 and b = 3w/2"]
    return [_with(CLAIMS["thm-2.1"](local, ctx), ["the local check: M is smooth near this point"]),
            _with(CLAIMS["thm-2.1-global"](glob, ctx), why)]


ROWS = (duplicate_inputs, constant_labels, lazy_activation, polynomial_activation, relu_kink,
        too_few_parameters, global_versus_local)


def rows(ctx: Context | None = None) -> CertificateList:
    """Every hypothesis row, computed."""
    ctx = ctx or Context()
    return CertificateList([c for row in ROWS for c in row(ctx)])


def explain(ctx: Context | None = None) -> str:
    """A readable account: each row with its hypotheses and what breaks."""
    lines = []
    for cert in rows(ctx):
        mark = "✓" if cert.ok else "✗"
        lines.append(f"{mark} {cert.claim} on {cert.instance}: {cert.verdict} — {cert.evidence}")
        for label, status in cert.hypotheses:
            lines.append(f"    {label}: {status}")
        for d in cert.details:
            lines.append(f"    · {d}")
    return "\n".join(lines)
