"""One inertia convention, Sylvester's (n₊, n₋, n₀), in every output: verify (text, JSON, Jupyter), inspect,
the docs."""

import json
import re
from pathlib import Path

from symland import Dataset, get_activation

from proofs_check import Instance, check
from proofs_check.cli import main

ROOT = Path(__file__).resolve().parents[2]
XOR = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])


def test_verify_inspect_and_jupyter_print_the_same_sylvester_inertia_at_the_same_point(tmp_path, capsys):
    cert = check("prop-2.3", Instance("xor", XOR, get_activation("rectpow3")))
    assert cert.verdict == "proved" and tuple(cert.witness["inertia"]) == (4, 0, 13)
    assert "(n₊, n₋, n₀) = (4, 0, 13)" in cert.evidence and "(4, 13, 0)" not in cert.evidence
    assert json.loads(cert.to_json())["witness"]["inertia"] == [4, 0, 13]
    assert "(4, 0, 13)" in cert._repr_html_()
    (tmp_path / "xor.csv").write_text("x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    (tmp_path / "m.json").write_text(json.dumps(dict(cert.witness["point"])))
    code = main(["inspect", "--data", str(tmp_path / "xor.csv"), "--widths", "2,4,1", "--activation", "rectpow3",
                 "--point", str(tmp_path / "m.json"), "--inertia", "--json"])
    obj = json.loads(capsys.readouterr().out)
    assert code == 0 and obj["on_M"] is True and obj["inertia"] == [4, 0, 13]
    code = main(["inspect", "--data", str(tmp_path / "xor.csv"), "--widths", "2,4,1", "--activation", "rectpow3",
                 "--point", str(tmp_path / "m.json"), "--inertia"])
    assert code == 0 and "inertia of Hess L (n₊, n₋, n₀) = (4, 0, 13)" in capsys.readouterr().out


def test_no_document_or_module_writes_the_old_positive_zero_negative_order():
    old = re.compile(r"\((?:d|dℓ|ℓd), n ?[−-] ?(?:d|dℓ|ℓd), 0\)|n - d, 0\)|\(positive, zero")
    files = [ROOT / "README.md", *ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("symland/**/*.py"),
             *ROOT.glob("proofs_check/**/*.py")]
    hits = [f"{f.name}:{i}" for f in files for i, line in enumerate(f.read_text().splitlines(), 1)
            if old.search(line)]
    assert hits == []
