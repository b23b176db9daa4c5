"""Certificate: impossible states are rejected; JSON, text, Markdown and HTML renderings."""

import copy
import doctest
import json
import pickle

import pytest

from proofs_check import certificate
from proofs_check.certificate import (
    EXACT_TIERS,
    FLOAT_TIERS,
    RIGOROUS_TIERS,
    VERDICTS,
    Certificate,
    CertificateList,
    format_table,
    summary_line,
)


def make(**changes):
    fields = dict(
        claim="prop-2.3",
        instance="tiny",
        verdict="proved",
        tier="exact",
        evidence="rank J = 2 = d via a nonsingular 2×2 minor; inertia (2, 0, 5)",
        hypotheses=(("x_i distinct", "yes"), ("σ rectified (Def. 3.1)", "yes: smoolu")),
        witness={"minor": {"rows": [0, 1], "cols": [2, 5], "det": "-3/5"}, "prime": 2147483647},
        seconds=0.25,
        details=("J_H computed exactly", "minor det = -3/5 ≠ 0"),
        expected="proved",
    )
    fields.update(changes)
    return Certificate(**fields)


# ------------------------------------------------------------------ impossible states


@pytest.mark.parametrize("tier", RIGOROUS_TIERS + FLOAT_TIERS + ("none",))
def test_proved_is_rejected_from_any_tier_that_is_not_exact(tier):
    with pytest.raises(ValueError, match="verdict = 'proved'.*tier = '" + tier):
        make(verdict="proved", tier=tier)


@pytest.mark.parametrize("tier", EXACT_TIERS)
def test_proved_is_accepted_from_exact_tiers(tier):
    assert make(verdict="proved", tier=tier).verdict == "proved"


@pytest.mark.parametrize("tier", FLOAT_TIERS + ("none",))
def test_certified_is_rejected_from_float_tiers(tier):
    with pytest.raises(ValueError, match="verdict = 'certified'.*tier = '" + tier):
        make(verdict="certified", tier=tier)


@pytest.mark.parametrize("tier", EXACT_TIERS + RIGOROUS_TIERS)
def test_certified_is_accepted_from_exact_and_ball_tiers(tier):
    assert make(verdict="certified", tier=tier).tier == tier


@pytest.mark.parametrize("tier", FLOAT_TIERS + ("none",))
def test_a_float_computation_can_never_refute(tier):
    with pytest.raises(ValueError, match="verdict = 'refuted'.*tier = '" + tier):
        make(verdict="refuted", tier=tier, expected="refuted")


def test_refuted_is_accepted_from_a_ball_counterexample():
    assert make(verdict="refuted", tier="ball", expected="refuted").ok


def test_an_unknown_verdict_is_rejected_by_name():
    with pytest.raises(ValueError, match="verdict = 'true'"):
        make(verdict="true")


def test_an_unknown_tier_is_rejected_by_name():
    with pytest.raises(ValueError, match="tier = 'double'"):
        make(tier="double")


def test_an_unknown_expected_verdict_is_rejected():
    with pytest.raises(ValueError, match="expected = 'yes'"):
        make(expected="yes")


@pytest.mark.parametrize("seconds", [-0.1, float("nan"), float("inf")])
def test_negative_or_nonfinite_seconds_are_rejected(seconds):
    with pytest.raises(ValueError, match="seconds"):
        make(seconds=seconds)


@pytest.mark.parametrize(
    "witness",
    [
        {"points": {(1, 2)}},
        {"value": object()},
        {1: "int key"},
        {"x": float("nan")},
        ["not", "a", "dict"],
    ],
)
def test_a_witness_that_is_not_json_plain_data_is_rejected(witness):
    with pytest.raises(ValueError, match="witness"):
        make(witness=witness)


def test_malformed_hypotheses_are_rejected():
    with pytest.raises(TypeError, match="hypotheses"):
        make(hypotheses=(("only one",),))


def test_hypothesis_fails_and_inconclusive_are_allowed_with_nothing_computed():
    assert make(verdict="hypothesis-fails", tier="none", expected="hypothesis-fails").ok
    assert make(verdict="inconclusive", tier="none", expected=None).ok is False


# --------------------------------------------------------------------- immutability


def test_the_witness_is_a_read_only_deep_copy():
    source = {"m": ["1/2", "3"], "nested": {"k": 1}}
    cert = make(witness=source)
    source["m"].append("4")
    source["nested"]["k"] = 2
    assert cert.witness == {"m": ("1/2", "3"), "nested": {"k": 1}}
    with pytest.raises(TypeError):
        cert.witness["m"] = "changed"
    with pytest.raises(TypeError):
        cert.witness["nested"].update(k=3)
    with pytest.raises(TypeError):
        cert.witness |= {"x": 1}
    assert json.loads(json.dumps(cert.witness)) == {"m": ["1/2", "3"], "nested": {"k": 1}}


def test_fields_cannot_be_reassigned():
    cert = make()
    with pytest.raises(AttributeError):
        cert.verdict = "refuted"


def test_certificates_hash_copy_and_pickle():
    cert = make()
    assert hash(cert) == hash(make())
    assert copy.deepcopy(cert) == cert
    assert pickle.loads(pickle.dumps(cert)) == cert


# ----------------------------------------------------------------------------- ok


def test_ok_compares_with_the_expected_verdict():
    assert make(verdict="refuted", tier="exact", expected="refuted").ok
    assert not make(verdict="proved", expected="refuted").ok


def test_ok_without_expectation_means_proved_or_certified():
    assert make(expected=None).ok
    assert make(verdict="certified", tier="ball", expected=None).ok
    assert not make(verdict="numerical", tier="float", expected=None).ok


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("verdict,tier", [("proved", "exact"), ("numerical", "mp"), ("hypothesis-fails", "none")])
def test_json_round_trip_gives_an_equal_certificate(verdict, tier):
    cert = make(verdict=verdict, tier=tier, seconds=0.1 + 0.2)
    assert Certificate.from_json(cert.to_json()) == cert
    assert Certificate.from_json_obj(json.loads(json.dumps(cert.to_json_obj()))) == cert


def test_json_object_has_exactly_the_documented_keys():
    obj = make().to_json_obj()
    assert list(obj) == ["claim", "instance", "verdict", "tier", "evidence", "hypotheses",
                         "witness", "seconds", "details", "expected"]
    assert obj["hypotheses"][0] == {"hypothesis": "x_i distinct", "status": "yes"}
    assert obj["witness"]["minor"]["rows"] == [0, 1]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o: o.pop("verdict"),
        lambda o: o.update(extra=1),
        lambda o: o.update(hypotheses=[["x_i distinct", "yes"]]),
        lambda o: o.update(claim=3),
        lambda o: o.update(verdict="proved", tier="float"),
        lambda o: o.update(details="one string"),
    ],
)
def test_malformed_json_objects_raise_value_error(mutate):
    obj = make().to_json_obj()
    mutate(obj)
    with pytest.raises(ValueError):
        Certificate.from_json_obj(obj)


def test_a_json_value_that_is_not_an_object_raises_value_error():
    with pytest.raises(ValueError, match="JSON object"):
        Certificate.from_json_obj(["claim"])


def test_a_certificate_list_round_trips_through_json():
    certs = CertificateList([make(), make(instance="other", verdict="numerical", tier="float")])
    assert CertificateList.from_json(certs.to_json()) == certs


# ------------------------------------------------------------------------- display


def mixed():
    return CertificateList(
        [
            make(),
            make(claim="thm-4.1", verdict="certified", tier="ball", expected="certified"),
            make(claim="lem-3.3", verdict="hypothesis-fails", tier="none", expected="hypothesis-fails",
                 evidence="x_2 = x_3"),
            make(claim="sec-5", verdict="numerical", tier="float", expected="proved",
                 evidence="gap 1e-3 " * 40),
            make(claim="rem-2.2", verdict="refuted", tier="exact", expected="refuted"),
        ]
    )


def test_the_table_contains_the_exact_verdict_strings():
    table = format_table(mixed())
    for verdict in ("proved", "certified", "hypothesis-fails", "numerical", "refuted"):
        assert f" {verdict} " in table


def test_the_table_fits_a_100_column_terminal():
    assert max(len(line) for line in format_table(mixed()).splitlines()[:-1]) <= 100


def test_the_summary_line_counts_exactly():
    assert format_table(mixed()).splitlines()[-1] == (
        "5 claims checked: 1 proved, 1 certified, 1 numerical, 1 refuted, "
        "1 hypothesis-fails, 0 inconclusive; 1 not as expected"
    )
    assert summary_line([make()]) == (
        "1 claim checked: 1 proved, 0 certified, 0 numerical, 0 refuted, "
        "0 hypothesis-fails, 0 inconclusive; all as expected"
    )


def test_rows_not_as_expected_are_marked_and_named():
    table = format_table(mixed())
    assert "! sec-5 on tiny: numerical, expected proved" in table
    assert sum(line.startswith("!") for line in table.splitlines()) == 2  # the row and the note


def test_all_ok_is_true_only_when_every_verdict_is_expected():
    assert not mixed().all_ok
    assert CertificateList(c for c in mixed() if c.ok).all_ok
    assert CertificateList().all_ok


def test_html_escapes_text():
    cert = make(instance="<script>alert(1)</script>", evidence="a < b & c",
                hypotheses=(("<b>bold</b>", "yes"),), details=("<i>",))
    for rendered in (cert._repr_html_(), CertificateList([cert])._repr_html_()):
        assert "<script>" not in rendered
        assert "&lt;script&gt;" in rendered
        assert "<b>bold" not in rendered and "<i>" not in rendered
        assert "a &lt; b &amp; c" in rendered


def test_html_and_markdown_show_a_check_mark_when_the_verdict_is_expected():
    expected_fail = make(verdict="hypothesis-fails", tier="none", expected="hypothesis-fails")
    assert "✓" in expected_fail._repr_html_()
    assert "✓" in expected_fail.to_markdown()
    surprise = make(verdict="numerical", tier="float", expected="proved")
    assert "✗ (expected proved)" in surprise._repr_html_()


def test_markdown_lists_the_hypotheses_and_escapes_pipes():
    md = make(evidence="a | b")._repr_markdown_()
    assert "a \\| b" in md
    assert "  - x_i distinct: yes" in md


def test_a_certificate_list_rejects_non_certificates():
    with pytest.raises(TypeError, match="item 1"):
        CertificateList([make(), "proved"])


def test_the_module_exports_what_it_documents_and_its_doctests_pass():
    assert set(certificate.__all__) <= set(dir(certificate))
    assert VERDICTS == ("proved", "certified", "numerical", "refuted", "hypothesis-fails", "inconclusive")
    assert doctest.testmod(certificate).failed == 0
