"""Start-up (issue 23): the command line's help is written without the engine — sympy, python-flint and numpy are
imported only by the command that needs them. Checked on the modules loaded in a fresh process, not on a time."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sympy", "flint", "numpy", "mpmath", "dask")


def _loaded_after(argv: list[str]) -> tuple[int, list[str]]:
    code = ("import contextlib, io, sys\n"
            "from proofs_check.commands.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main({argv!r})\n"
            f"print(rc, *[m for m in {HEAVY!r} if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    rc, *loaded = out.stdout.split()
    return int(rc), loaded


@pytest.mark.parametrize("argv", [["--help"], ["verify", "--help"], ["inspect", "--help"], ["certify", "--help"],
                                  ["sweep", "--help"], ["train", "--help"], ["recheck", "--help"]])
def test_the_help_of_every_command_imports_no_heavy_library(argv):
    assert _loaded_after(argv) == (0, [])


def test_claims_lists_the_ids_without_the_engine_but_a_verify_loads_it():
    assert _loaded_after(["claims", "--help"]) == (0, [])
    rc, loaded = _loaded_after(["verify", "--claim", "lem-3.3", "--quiet", "--timeout", "60"])
    assert "sympy" in loaded and "flint" in loaded


def test_import_symland_loads_no_heavy_library_until_a_name_is_used():
    code = ("import sys, symland; before = [m for m in ('sympy', 'flint', 'numpy') if m in sys.modules]; "
            "symland.Dataset; print(before, 'flint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["[]", "True"]


def test_the_light_name_lists_are_those_of_the_engine():
    from symland.sigma.builtin import ACTIVATIONS
    from symland.sigma.catalog import BUILTIN

    from proofs_check.claim_ids import ALL_IDS, GLOBAL_IDS
    from proofs_check.claims import CLAIMS, global_claims

    assert tuple(ACTIVATIONS) == BUILTIN
    assert set(CLAIMS) == set(ALL_IDS) | set(GLOBAL_IDS) and tuple(global_claims.CHECKS) == GLOBAL_IDS
