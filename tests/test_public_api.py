"""The public API is what the packages' __init__ say, and the README's Python example runs."""

import re
from pathlib import Path

import proofs_check
import symland


def test_every_exported_name_exists_and_is_documented():
    for pkg in (symland, proofs_check):
        for name in pkg.__all__:
            obj = getattr(pkg, name)
            assert obj is not None
            if callable(obj):
                assert obj.__doc__, f"{pkg.__name__}.{name} has no docstring"


def test_the_engine_never_imports_proofs_check():
    root = Path(symland.__file__).parent
    pattern = re.compile(r"^\s*(from|import) proofs_check", re.M)
    offenders = [p.name for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_readme_python_example_runs():
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    assert scope["vals"].on_M
