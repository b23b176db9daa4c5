"""The documentation site builds with warnings as errors (`mkdocs build --strict`, the `docs` extra)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS_MODULES = ("mkdocs", "mkdocstrings", "mkdocstrings_handlers.python", "mkdocs_jupyter", "material")


def _missing() -> list[str]:
    out = []
    for name in DOCS_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # a parent package is missing
            found = False
        if not found:
            out.append(name)
    return out


@pytest.mark.skipif(bool(_missing()), reason=f"the docs tools are not installed ({', '.join(_missing())}): "
                    "pip install '.[docs]'")
def test_the_docs_site_builds_with_warnings_as_errors(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    site = tmp_path / "site"
    tour = (site / "index.html").read_text(encoding="utf-8")
    assert "A short tour" in tour and 'href="notebooks/04_lemma_3_3/"' in tour  # README links → notebook pages
    api = (site / "api" / "proofs_check" / "index.html").read_text(encoding="utf-8")
    assert 'id="proofs_check.certificate.Certificate.proof"' in api and 'id="proofs_check.recheck.recheck"' in api
    assert 'id="symland.Problem"' in (site / "api" / "symland" / "index.html").read_text(encoding="utf-8")
    nb = (site / "notebooks" / "04_lemma_3_3" / "index.html").read_text(encoding="utf-8")
    assert "The proof in words" in nb and "thm.proof()" in nb
    executed = Path(os.environ.get("SYMLAND_EXECUTED_NOTEBOOKS", "/nonexistent")) / "04_lemma_3_3.ipynb"
    if executed.is_file():  # CI: the copy tests/test_notebooks.py executed is shown, with its outputs
        assert "5088686999201534459" in nb  # the determinant mod p, printed by the notebook's proof text
    schema = (site / "schema" / "index.html").read_text(encoding="utf-8")
    assert "certificate.v1.json" in schema and "det_mod_p" in schema
    verdicts = (site / "verdicts" / "index.html").read_text(encoding="utf-8")
    assert "hypothesis-fails" in verdicts and "Which tier may give which verdict" in verdicts
    proof = (site / "proof" / "index.html").read_text(encoding="utf-8")
    assert "5088686999201534459" in proof and "(4, 0, 13)" in proof
