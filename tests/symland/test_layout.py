"""The layout by layer (issue 19): every old module path is a compatibility alias of its new module, and symland
itself imports only the new paths — so the aliases can be deleted once tests, benchmarks and proofs_check use the
new names."""

import ast
import importlib
from pathlib import Path

import pytest

from symland._moved import MOVED

from tests._layout import imported, old_path_users

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("old", sorted(MOVED))
def test_every_old_path_is_the_new_module_itself(old):
    new = importlib.import_module(MOVED[old])
    assert importlib.import_module(f"symland.{old}") is new
    package = importlib.import_module("symland")
    assert getattr(package, old) is new
    assert Path(new.__file__).resolve() == ROOT / (MOVED[old].replace(".", "/") + ".py")
    shim = (ROOT / "symland" / f"{old}.py").read_text(encoding="utf-8")
    assert f"Moved to :mod:`{MOVED[old]}`" in shim and len(shim.splitlines()) <= 6


def test_an_old_name_is_an_attribute_of_the_package_without_being_imported_first():
    import subprocess
    import sys

    code = ("import sys, symland; assert 'symland.linalg' not in sys.modules; "
            "import symland.linear.linalg as new; assert symland.linalg is new; print(symland.linalg.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "symland.linear.linalg"


def test_from_import_and_monkeypatch_through_an_old_name_reach_the_one_module(monkeypatch):
    import symland.activations as old_act
    import symland.sigma.activations as new_act
    from symland.data import parse_exact as old_parse
    from symland.io.data import parse_exact as new_parse

    assert old_parse is new_parse
    monkeypatch.setattr(old_act, "get_activation", "patched")
    assert new_act.get_activation == "patched"
    monkeypatch.setattr("symland.problem.Problem", "patched too")
    assert importlib.import_module("symland.networks.problem").Problem == "patched too"


def test_symland_imports_no_old_path_outside_the_aliases_themselves():
    assert old_path_users(ROOT, "symland", MOVED) == {}


def test_exact_numbers_are_parsed_by_the_numbers_layer_and_sigma_reads_no_file():
    from symland.data import number_text, parse_exact
    from symland.numbers import exact

    assert parse_exact is exact.parse_exact and number_text is exact.number_text
    assert str(exact.parse_exact("-0.25e1")) == "-5/2" and str(exact.parse_exact(" 1/3")) == "1/3"
    for layer in ("numbers", "sigma", "linear"):
        for path in (ROOT / "symland" / layer).glob("*.py"):
            assert not {m for m in imported(path) if m.startswith("symland.io")}, path.name


LEVELS = ["numbers", "tiers", "sigma", "linear", "networks", "constructions", "algebra", "point", "io", "training",
          "views"]
# Imports of a level by one listed before it (module → module), known when the layout was made. THIS LIST MUST
# ONLY SHRINK: never add an entry; delete one when its import is gone (the test fails on a stale entry).
KNOWN_UPWARD = {
    ("symland.networks.dag", "symland.io.data"), ("symland.networks.problem", "symland.io.data"),
    ("symland.tiers.cost", "symland.constructions.atscale"), ("symland.tiers.plan", "symland.constructions.landscape"),
    ("symland.tiers.plan", "symland.networks.network"), ("symland.tiers.evaluate", "symland.sigma.activations"),
}


def _level(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "symland" and parts[1] in LEVELS else None


def test_each_level_imports_only_the_levels_listed_before_it_but_the_known_upward_imports():
    upward = set()
    for path in (ROOT / "symland").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        src = _level(module)
        if src is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for target in targets:
                dst = _level(target)
                if dst is not None and LEVELS.index(dst) > LEVELS.index(src):
                    upward.add((module, target))
    assert upward == KNOWN_UPWARD
