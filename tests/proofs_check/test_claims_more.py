"""cor-3.4, rem-4.2, rem-2.2, sec-5 and the hypothesis rows of `symland explain`."""

from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.claims import CLAIMS
from proofs_check.explain import rows
from proofs_check.instance import Context, Instance

CUBE = get_activation("rectpow3")
SMOOLU = get_activation("smoolu")
XOR = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])


def _check(claim, inst):
    return CLAIMS[claim](inst, Context())


def test_corollary_3_4_is_proved_with_the_corrected_construction_and_records_the_departure():
    cert = _check("cor-3.4", Instance("deep", XOR, CUBE, widths=(2, 3, 2, 5, 1)))
    assert cert.verdict == "proved" and cert.tier == "exact"
    assert cert.evidence.startswith("T = 3: A 4×4 lower triangular")
    assert "departs from the paper's text" in cert.witness["departure"]
    assert any("rank A ≤ 2 < d = 4" in d for d in cert.details)
    assert cert.witness["residuals"] == ("0", "0", "0", "0")


def test_corollary_3_4_needs_strict_increase():
    cert = _check("cor-3.4", Instance("lazy", XOR, get_activation("relu_after1"), widths=(2, 2, 4, 1)))
    assert cert.verdict == "hypothesis-fails"
    assert cert.evidence == "hypothesis fails: σ strictly increasing on (0, ∞)"


def test_corollary_3_4_with_deep_smoolu_is_inconclusive_in_the_exact_tiers():
    cert = _check("cor-3.4", Instance("deep-smoolu", XOR, SMOOLU, widths=(2, 1, 4, 1), tier="symbolic"))
    assert cert.verdict == "inconclusive" and "transcendental" in cert.evidence


def test_corollary_3_4_with_deep_smoolu_is_certified_by_auto_through_balls():
    from proofs_check.claims import run

    cert = run([Instance("deep-smoolu", XOR, SMOOLU, widths=(2, 1, 4, 1))], ["cor-3.4"])[0]
    assert (cert.verdict, cert.tier, cert.expected) == ("certified", "ball", "certified")


def test_remark_4_2_proves_codimension_l_times_d_for_two_and_three_outputs():
    two = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [2, "1/2"], [-1, 3]])
    cert = _check("rem-4.2", Instance("l2", two, CUBE, widths=(2, 4, 2)))
    assert cert.verdict == "proved"
    assert cert.evidence.startswith("ℓ = 2: point ∈ M, rank J = 8 = ℓd")
    assert "inertia (n₊, n₋, n₀) = (8, 0, 14)" in cert.evidence
    three = Dataset.from_rows([[0], [1], [2]], [[1, 0, 2], [0, 1, 1], [2, "1/2", 0]])
    cert = _check("rem-4.2", Instance("l3", three, SMOOLU, widths=(1, 3, 3)))
    assert cert.verdict == "proved" and "inertia (n₊, n₋, n₀) = (9, 0, 9)" in cert.evidence


def test_section_5_states_what_becomes_of_the_hessian_for_each_exponent():
    cert = _check("sec-5", Instance("xor", XOR, CUBE))
    assert cert.verdict == "proved"
    assert "a=1 not differentiable at M; a=3/2 not C²; a=2 inertia (4, 0, 13); a=3 Hess = 0; a=4 Hess = 0" \
        in cert.evidence
    assert cert.witness["H_at_m_prime"] == ("-1", "-1", "-1", "-1")
    assert any(d.startswith("a = 1: not differentiable at m — D_(+v) = D_(−v)") for d in cert.details)


def test_remark_2_2_is_section_5_with_a_equal_to_one():
    cert = _check("rem-2.2", Instance("xor", XOR, SMOOLU))
    assert cert.verdict == "proved"
    assert cert.evidence == "zero set of Σ|f_i|^a is M at m, m'; a=1 not differentiable at M"


def test_every_hypothesis_row_has_its_expected_verdict():
    from symland.algebra.msolve import find_msolve

    certs = rows()
    got = [(c.claim, c.instance, c.verdict) for c in certs]
    assert got == [
        ("thm-4.1", "why-distinct", "hypothesis-fails"),
        ("thm-2.1", "why-constant-labels", "refuted"),
        ("thm-2.1", "why-constant-labels+r", "proved"),
        ("lem-3.3", "why-strictly-increasing", "refuted"),
        ("lem-3.3", "why-strictly-increasing·4a", "refuted"),
        ("lem-3.3", "why-strictly-increasing·4a·4gap", "proved"),
        ("thm-4.1", "why-rectified", "hypothesis-fails"),
        ("thm-2.1", "why-smooth", "hypothesis-fails"),
        ("thm-2.1", "why-overparameterized", "hypothesis-fails"),
    ] + ([("thm-2.1", "why-global", "proved"), ("thm-2.1-global", "why-global", "refuted")] if find_msolve() else [])
    assert certs.all_ok
    by_name = {c.instance: c for c in certs}
    assert by_name["why-rectified"].witness["empty_because"] == {"lambda": ("-1", "3", "-3", "1"),
                                                                 "lambda_dot_y": "1"}
    assert by_name["why-constant-labels"].evidence.startswith("rank J_H(m) = 1 < 3")


def test_a_dag_with_shared_labels_counts_distinct_parameters_in_rank_and_dimension():
    from symland.dag import dag_from_obj

    from proofs_check.instances import SHARED_DAG, SHARED_POINT

    data = Dataset.from_rows([[0, 1], [1, 1], [2, 0]], [1, 0, 2])
    inst = Instance("dag", data, CUBE, dag=dag_from_obj(SHARED_DAG), point=SHARED_POINT)
    cert = _check("thm-2.1", inst)
    assert cert.verdict == "proved"
    # 8 edges + 4 vertex biases, but 8 distinct labels: n = 8, dim M = 8 − 3 = 5
    assert "rank J = 3 = d" in cert.evidence and "tangent space dim 5 = n − d" in cert.evidence
    assert len(cert.witness["tangent_basis"]) == 5
    cert = _check("prop-2.3", inst)
    assert cert.verdict == "proved" and cert.evidence.startswith("inertia (n₊, n₋, n₀) = (3, 0, 5)")
    lem = _check("lem-3.3", inst)
    assert lem.verdict == "proved"  # lem-3.3 builds its own layered network from the data
