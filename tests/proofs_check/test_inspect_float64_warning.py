"""``symland inspect --spectrum`` says in words when the float64 spectrum contradicts the proved inertia."""

import json

from symland import Dataset, RationalKind, get_activation, lemma_3_3

from proofs_check.cli import main


def test_inspect_spectrum_at_weights_near_1e22_warns_in_the_text(tmp_path, capsys):
    data = Dataset.from_rows([[0], ["1/10000000"], ["2/10000000"]], [1, -1, 2])
    it = lemma_3_3(data, get_activation("rectpow3"), RationalKind())
    (tmp_path / "p.json").write_text(json.dumps(dict(zip(it.network.param_names(), map(str, it.params)))))
    (tmp_path / "d.csv").write_text("x,y\n0,1\n1/10000000,-1\n2/10000000,2\n")
    code = main(["inspect", "--data", str(tmp_path / "d.csv"), "--widths", "1,3,1", "--activation", "rectpow3",
                 "--point", str(tmp_path / "p.json"), "--tier", "exact", "--inertia", "--spectrum"])
    out = capsys.readouterr().out
    assert code == 0 and "inertia of Hess L (n₊, n₋, n₀) = (3, 0, 7) (proved)" in out
    warn = [line for line in out.splitlines() if line.startswith("warning: float64 cannot resolve this point")]
    assert len(warn) == 1 and "contradicts the certified inertia (3, 0, 7)" in warn[0]


def test_inspect_spectrum_without_a_contradiction_says_nothing_more(tmp_path, capsys):
    (tmp_path / "p.json").write_text(json.dumps({"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}))
    (tmp_path / "d.csv").write_text("x,y\n1,1\n")
    assert main(["inspect", "--data", str(tmp_path / "d.csv"), "--widths", "1,1,1", "--activation", "rectpow3",
                 "--point", str(tmp_path / "p.json"), "--tier", "exact", "--inertia", "--spectrum"]) == 0
    assert "warning" not in capsys.readouterr().out
