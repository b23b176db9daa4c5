"""The layout tests' shared helpers: which modules a file imports, and which files import an old (aliased) path."""

from __future__ import annotations

import ast
from pathlib import Path


def imported(path: Path) -> set[str]:
    """Every module (and module.name) a file imports absolutely."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def old_path_users(root: Path, package: str, moved) -> dict:
    """{file: old paths it imports} for the files of ``package`` other than the alias modules themselves."""
    old_names = {f"{package}.{old}" for old in moved}
    aliases = {root / package / f"{old}.py" for old in moved}
    users = {}
    for path in sorted((root / package).rglob("*.py")):
        if path not in aliases:
            hit = imported(path) & old_names
            if hit:
                users[path.relative_to(root).as_posix()] = sorted(hit)
    return users
