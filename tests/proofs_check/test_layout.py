"""The layout of proofs_check (issue 19): the claim runtime at the top, ``claims/``, the re-checker ``recheck/``,
``commands/`` and ``sweep/``. Every old module path is a compatibility alias of its new module, and proofs_check
itself imports only the new paths — so the aliases can be deleted once tests and benchmarks use the new names."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from proofs_check._moved import MOVED
from tests._layout import imported, old_path_users

ROOT = Path(__file__).resolve().parents[2]


def _file_of(module: str) -> Path:
    return ROOT / (module.replace(".", "/") + ".py")


@pytest.mark.parametrize("old", sorted(MOVED))
def test_every_old_path_is_the_new_module_itself(old):
    new = importlib.import_module(MOVED[old])
    assert importlib.import_module(f"proofs_check.{old}") is new
    # the package attribute is the module — except certify_model, the function of that name (issue 24)
    want = new.certify_model if old == "certify_model" else new
    assert getattr(importlib.import_module("proofs_check"), old) is want
    assert Path(new.__file__).resolve() == _file_of(MOVED[old])
    shim = (ROOT / "proofs_check" / f"{old}.py").read_text(encoding="utf-8")
    assert f"Moved to :mod:`{MOVED[old]}`" in shim
    assert len(shim.splitlines()) <= (8 if old == "cli" else 6)  # cli also runs main() under ``python -m``


def test_the_sweep_package_is_the_old_sweep_module_and_the_worker_task_keeps_its_name():
    import proofs_check.sweep as sweep
    from proofs_check._sweep_worker import run_instance

    assert Path(sweep.__file__).resolve() == ROOT / "proofs_check" / "sweep" / "__init__.py"
    assert callable(sweep.sweep) and callable(sweep._payload)
    assert run_instance.__module__ == "proofs_check.sweep._worker"  # what dask pickles by reference
    assert importlib.import_module(run_instance.__module__).run_instance is run_instance


def test_the_console_script_and_python_m_reach_the_moved_cli():
    cfg = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "symland = proofs_check.commands.cli:main" in cfg
    from proofs_check.cli import main

    assert main is importlib.import_module("proofs_check.commands.cli").main
    out = subprocess.run([sys.executable, "-m", "proofs_check.cli", "verify", "--no-such-option"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "--no-such-option" in out.stderr


def test_monkeypatch_through_an_old_name_reaches_the_one_module(monkeypatch):
    import proofs_check.cli as old
    import proofs_check.commands.cli as new

    monkeypatch.setattr(old, "run", "patched")
    assert new.run == "patched"
    monkeypatch.setattr("proofs_check._sweep_worker.thread_deadline", "patched too")
    assert importlib.import_module("proofs_check.sweep._worker").thread_deadline == "patched too"


def test_proofs_check_imports_no_old_path_outside_the_aliases_themselves():
    assert old_path_users(ROOT, "proofs_check", MOVED) == {}


def test_the_claim_runtime_stays_at_the_top():
    top = {p.stem for p in (ROOT / "proofs_check").glob("*.py")} - set(MOVED)
    assert top == {"__init__", "_moved", "conftest", "_at_point", "auto", "certificate", "claim_ids", "hypotheses",
                   "instance", "instances", "progress", "render", "testing", "verdicts"}


def test_the_renderers_live_in_render_and_certificate_re_exports_them():
    from proofs_check import certificate, render, verdicts

    for name in ("COLUMNS", "format_table", "summary_line", "abbreviate_numbers", "any_size_ints"):
        assert getattr(certificate, name) is getattr(render, name) and name in certificate.__all__
    for name in verdicts.__all__:
        assert getattr(certificate, name) is getattr(verdicts, name) and name in certificate.__all__
    render_imports = {m for m in imported(ROOT / "proofs_check" / "render.py") if m.startswith("proofs_check")}
    assert render_imports == {"proofs_check.verdicts", "proofs_check.verdicts.VERDICTS", "proofs_check.certificate",
                              "proofs_check.certificate.Certificate"}  # the last two for annotations only
    assert "if TYPE_CHECKING:\n    from proofs_check.certificate import Certificate\n" in render.__loader__.get_data(
        render.__file__).decode()
    c = certificate.Certificate("lem-3.3", "a|b", "proved", "exact", "x_1 & 50%", (("distinct", "yes"),),
                                {"m": ["1/2"]}, 0.5, expected="proved")
    assert c.to_markdown().splitlines()[2] == ('| lem-3.3 | a\\|b | <span style="color:#1a7f37;font-weight:bold">'
                                               'proved</span> ✓ | exact | 0.50s | x_1 &amp; 50% |')
    assert c._repr_latex_() == "$\\text{lem-3.3 on a|b: proved (exact) — x\\_1 \\& 50\\%}$"
    assert '<pre>{\n &quot;m&quot;: [\n  &quot;1/2&quot;\n ]\n}</pre>' in c._repr_html_()
    assert str(c).splitlines()[-1] == "1 claim checked: 1 proved, 0 certified, 0 numerical, 0 refuted, " \
                                      "0 hypothesis-fails, 0 inconclusive; all as expected"
