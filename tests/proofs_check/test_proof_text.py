"""The proof in words (`symland proof`, Certificate.proof()): every claim gets one, and it states the witness's
numbers — the prime and the determinant mod p, the inertia triple, A's diagonal — read from the certificate."""

import contextlib
import copy
import io
import json
import random
from pathlib import Path

import pytest

from proofs_check.certificate import Certificate
from proofs_check.claims import ALL_IDS
from proofs_check.cli import main
from proofs_check.proof import STATEMENTS, proof_markdown

GLOBAL_CERT = Path(__file__).parent / "data" / "global_no_real.json"
DIM_CERT = Path(__file__).parent / "data" / "global_dim_proved.json"  # verify --claim dim-M-global (msolve 0.10.1)
XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


def _verify(*argv) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["verify", "--json", "--quiet", *argv])
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def builtin() -> list[dict]:
    """Every built-in instance and the `explain` rows: 46 certificates in about 4 s."""
    return _verify()


def _one(certs, claim, instance):
    (c,) = [c for c in certs if c["claim"] == claim and c["instance"] == instance]
    return c


def test_every_builtin_certificate_has_a_proof_naming_its_statement_hypotheses_and_limits(builtin):
    assert {c["claim"] for c in builtin} == set(ALL_IDS)
    for c in builtin:
        text = proof_markdown(c)
        number = STATEMENTS[c["claim"]][0]
        assert text.startswith(f"## {number} on `{c['instance']}`: {c['verdict']}"), text[:200]
        assert f"**Statement ({number}).**" in text
        for h in c["hypotheses"]:
            assert h["hypothesis"] in text and h["status"] in text
        assert "### What is not proved" in text


def test_xor_theorem_2_1_states_the_minor_the_prime_and_the_determinant_mod_p(builtin):
    c = _one(builtin, "thm-2.1", "smoolu-p2-d4-xor")
    minor = c["witness"]["rank"]["minor"]
    text = proof_markdown(c)
    assert (minor["prime"], minor["det_mod_p"]) == (7650839108740069631, 5088686999201534459)
    assert "\\det S \\equiv 5088686999201534459 \\pmod{7650839108740069631}" in text
    assert "the columns 3 (`W1_1_0`), 4 (`W1_1_1`), 5 (`W1_2_0`), 13 (`W2_0_0`)" in text
    assert "t \\mapsto 5924382921282610304" in text  # the exppoly reduction e^(1/105) ↦ x0
    assert "f_{1}(m) = 0,\\quad f_{2}(m) = 0,\\quad f_{3}(m) = 0,\\quad f_{4}(m) = 0" in text
    assert "$n - d\\ell = 17 - 4 = 13$" in text
    assert "**at the point m only** (local)" in text


def test_xor_lemma_3_3_states_a_the_order_the_biases_and_the_diagonal_of_A(builtin):
    text = proof_markdown(_one(builtin, "lem-3.3", "smoolu-p2-d4-xor"))
    assert "$a = (1,\\ 2)$" in text and "data rows 1, 3, 2, 4" in text
    assert "a\\cdot x_1 - 1 = -1$" in text
    assert "$$b = (-\\tfrac{1}{2},\\ \\tfrac{1}{2},\\ \\tfrac{3}{2},\\ \\tfrac{5}{2}).$$" in text
    assert "$$(e^{-2}/2,\\ e^{-2}/2,\\ e^{-2}/2,\\ e^{-2}/2)$$" in text  # diag A
    assert "3\\,e^{-2/3}/2 & e^{-2}/2 & 0 & 0" in text  # row 2 of A, in full
    assert "m = (0,\\ 2\\,e^{2},\\ " in text


def test_proposition_2_3_gives_the_congruence_and_the_inertia_in_sylvester_order(builtin):
    text = proof_markdown(_one(builtin, "prop-2.3", "rectpow3-p2-d5"))
    assert "$D$ has 5 positive, 0 negative and 16 zero entries" in text
    assert "$(n_+, n_-, n_0) = (5, 0, 16)$" in text and "Sylvester's law of inertia" in text
    assert "\\det S \\equiv 219594240000 \\pmod{7650839108740069631}" in text
    xor = proof_markdown(_one(builtin, "prop-2.3", "smoolu-p2-d4-xor"))
    assert "$(n_+, n_-, n_0) = (4, 0, 13)$ in Sylvester order" in xor and "— as predicted." in xor


def test_refutations_and_failed_hypotheses_say_what_was_not_shown(builtin):
    ref = proof_markdown(_one(builtin, "thm-2.1", "why-constant-labels"))
    assert "rank $J_H(m)$ = 1 from a 1 × 1 minor" in ref and "**not** a regular value" in ref
    assert "The upper bound 1 < 3 comes from 9 independent kernel vectors" in ref
    lem = proof_markdown(_one(builtin, "lem-3.3", "why-strictly-increasing"))
    assert "with zero entries at [1, 2, 3]: $A$ is singular" in lem
    hf = proof_markdown(_one(builtin, "thm-4.1", "why-distinct"))
    assert "predicts nothing here" in hf and "neither proved nor refuted" in hf and "**M is empty here**" in hf


def test_the_text_is_read_from_the_witness_not_recomputed(builtin):
    c = copy.deepcopy(_one(builtin, "thm-2.1", "smoolu-p2-d4-xor"))
    c["witness"]["rank"]["minor"]["det_mod_p"] = 12345
    text = proof_markdown(c)
    assert "\\det S \\equiv 12345 \\pmod" in text and "5088686999201534459" not in text


def test_ball_float_inconclusive_and_global_certificates(tmp_path):
    data = tmp_path / "xor.csv"
    data.write_text(XOR_CSV)
    ball = _one(_verify("--data", str(data), "--tier", "ball", "--claim", "prop-2.3"), "prop-2.3", "xor")
    text = proof_markdown(ball)
    assert ball["verdict"] == "certified" and "In Arb ball arithmetic at 128 bits" in text
    assert f"`{ball['witness']['rank']['minor']['det']}`" in text and "(4, 0, 13)" in text
    flt = proof_markdown(_verify("--data", str(data), "--tier", "float", "--claim", "thm-2.1")[0])
    assert "**Floating-point evidence (not a proof).**" in flt and "Nothing: floating-point numbers" in flt
    c = Certificate(claim="prop-2.3", instance="xor", verdict="inconclusive", tier="ball", hypotheses=(),
                    evidence="precision exhausted at 4096 bits", witness={}, seconds=0.0)
    assert "Nothing was shown. Why: precision exhausted at 4096 bits" in c.proof().markdown
    glob = proof_markdown(json.loads(GLOBAL_CERT.read_text()))
    assert glob.startswith("## Theorem 2.1, globally on `s`: proved")
    assert "| 1 | `no-real` | 4 | 5 | 13 |" in glob and "the charts cover every $\\lambda \\neq 0$" in glob
    dim = proof_markdown(json.loads(DIM_CERT.read_text()))
    assert dim.startswith("## Theorem 2.1, the dimension of M globally on `s2`: proved")
    assert "the expected dimension is $n - d\\ell = 2$. Here $\\dim_{\\mathbb C} H^{-1}(0) = 2$" in dim
    assert "`W2_0_0` $= \\tfrac{3}{16}$" in dim and "complex variety" in dim


def test_a_certified_trained_model_names_its_distances_to_the_point_of_m(capsys, tmp_path):
    data = tmp_path / "xor.csv"
    data.write_text(XOR_CSV)
    model, report = tmp_path / "m.npz", tmp_path / "report.json"
    assert main(["train", "--data", str(data), "--widths", "2,6,1", "--activation", "tanh", "--out", str(model)]) == 0
    capsys.readouterr()
    main(["certify", "--model", str(model), "--data", str(data), "--activation", "tanh", "--json"])
    report.write_text(capsys.readouterr().out)
    certs = json.loads(report.read_text())["certificates"]
    assert any("model" in c["witness"] for c in certs)
    assert main(["proof", str(report)]) == 0
    text = capsys.readouterr().out
    for c in certs:
        if "model" in c["witness"]:
            bound = c["witness"]["model"]["distance_linf_upper"]
            assert f"distance ≤ {bound}" in text and "re-solved from `" in text


def test_large_instances_say_where_the_full_matrices_are(tmp_path):
    data = tmp_path / "line.csv"
    data.write_text("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(15)))
    c = _verify("--data", str(data), "--activation", "rectpow3", "--claim", "lem-3.3")[0]
    text = proof_markdown(c)
    assert c["verdict"] == "proved" and len(c["witness"]["A"]) == 15
    assert "The 15 × 15 A is too large to print here; it is the witness field `A`" in text
    assert "\\begin{pmatrix}" not in text


def test_certificate_proof_shows_as_markdown_in_jupyter(builtin):
    cert = Certificate.from_json_obj(_one(builtin, "prop-2.3", "smoolu-p2-d4-xor"))
    proof = cert.proof()
    assert proof._repr_markdown_() == proof.markdown == str(proof) == proof_markdown(cert.to_json_obj())
    assert (proof.claim, proof.instance) == ("prop-2.3", "smoolu-p2-d4-xor")


def _cli(capsys, *argv):
    code = main(["proof", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_symland_proof_reads_lists_reports_and_json_lines(capsys, tmp_path, builtin):
    path = tmp_path / "all.json"
    path.write_text(json.dumps(builtin))
    code, out, err = _cli(capsys, str(path), "--claim", "lem-3.3", "--instance", "smoolu-p2-d4-xor")
    assert (code, err) == (0, "") and out.startswith("## Lemma 3.3 on `smoolu-p2-d4-xor`: proved")
    code, out, _ = _cli(capsys, str(path), "--instance", "smoolu-p2-d4-xor")
    assert code == 0 and out.count("\n---\n") == 3  # lem-3.3, thm-2.1, prop-2.3, thm-4.1
    lines = tmp_path / "rows.jsonl"
    lines.write_text("\n".join(json.dumps(c) for c in builtin[:3]) + "\n")
    assert _cli(capsys, str(lines))[0] == 0
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"model": "m.npz", "certificates": builtin[:2]}))
    code, out, _ = _cli(capsys, str(report), "--out", str(tmp_path / "p.md"))
    assert code == 0 and (tmp_path / "p.md").read_text().count("### What is not proved") == 2


@pytest.mark.parametrize("content, message", [
    (None, "file not found"),
    ("{not json", "not valid JSON"),
    ("[]", "holds no certificates"),
    ("[1]", "item 1 is a JSON int"),
    ('{"claim": "thm-2.1"}', "cannot be read: not a certificate"),
])
def test_symland_proof_exits_2_with_one_line_on_a_bad_file(capsys, tmp_path, content, message):
    path = tmp_path / "cert.json"
    if content is not None:
        path.write_text(content)
    code, out, err = _cli(capsys, str(path))
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1


def test_symland_proof_refuses_a_witness_outside_the_schema_and_an_unmatched_filter(capsys, tmp_path, builtin):
    c = copy.deepcopy(_one(builtin, "thm-2.1", "smoolu-p2-d4-xor"))
    c["witness"]["rank"]["minor"]["det_mod_p"] = "5088686999201534459"  # a string: not the schema's integer
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(c))
    code, _, err = _cli(capsys, str(path))
    assert code == 2 and "det_mod_p" in err
    path.write_text(json.dumps(builtin[:1]))
    code, _, err = _cli(capsys, str(path), "--claim", "sec-5")
    assert code == 2 and "no certificate matches" in err


def test_an_at_scale_certificate_says_the_point_is_generated_not_listed(monkeypatch):
    from flint import fmpq

    from symland import Dataset, get_activation
    from symland.tiers import cost

    from proofs_check.claims import run
    from proofs_check.instance import Context, Instance

    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)  # the at-scale route on a small instance (as test_at_scale.py)
    rng = random.Random(7)
    data = Dataset.from_rows([[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(2)] for _ in range(12)],
                             [fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(12)])
    inst = Instance("s", data, get_activation("rectpow3"), widths=(2, 12, 12, 1), tier="exact")  # n = 205
    (cert,) = run([inst], ["thm-2.1"], ctx=Context())
    w = cert.witness
    assert cert.verdict == "proved" and "point_omitted" in w and "point" not in w
    text = cert.proof().markdown
    assert f"**The point.** Not written: {w['point_omitted']}" in text
    assert "regenerated from $a = (" + ",\\ ".join(w["generator"]["a"]) + ")$" in text
    assert w["smoothness"] == "C^2" and "a $C^2$ submanifold of dimension" in text  # rectpow3: not "smooth"
    assert f"\\det S \\equiv {w['rank']['minor']['det_mod_p']} \\pmod{{{w['rank']['minor']['prime']}}}" in text



_VALUES = (None, True, False, -1, 0, 3, 10**20, "", "x", "0", "1/2", "exp(-2)/2", "[1.5 +/- 0.1]", "C^2", "smooth",
           [], {}, ["0"], [[]], {"a": 1}, [1, 2], "{")


def _paths(obj, path=()):
    yield path
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for k, v in items:
        yield from _paths(v, (*path, k))


def test_a_mutated_certificate_gives_a_proof_or_a_value_error_never_a_crash(builtin):
    """600 certificates with one to three fields dropped or replaced (seeded): a text, or ValueError (exit 2)."""
    rng = random.Random(0)
    pool = builtin + [json.loads(GLOBAL_CERT.read_text()), json.loads(DIM_CERT.read_text())]
    texts = errors = 0
    for _ in range(600):
        cert = copy.deepcopy(rng.choice(pool))
        paths = [p for p in _paths(cert) if p]
        for _ in range(rng.randint(1, 3)):
            path, parent = rng.choice(paths), cert
            try:
                for k in path[:-1]:
                    parent = parent[k]
                if rng.random() < 0.4 and isinstance(parent, dict):
                    parent.pop(path[-1], None)
                else:
                    parent[path[-1]] = copy.deepcopy(rng.choice(_VALUES))
            except (KeyError, IndexError, TypeError):
                pass
        try:
            assert "### What is not proved" in proof_markdown(cert)
            texts += 1
        except ValueError:
            errors += 1
    assert texts > 60 and errors > 60  # both outcomes exercised
