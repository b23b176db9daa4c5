"""The layout's rules, read from the source with ``ast`` (nothing is imported, so nothing can hide at runtime).

1. The re-checker kernel, ``proofs_check/recheck/``, imports nothing of ``symland`` or of the rest of
   ``proofs_check`` — anywhere in a module, lazy imports inside functions included: its package docstring lists
   what it trusts (python-flint, sympy, jsonschema), none of it the project's code.
2. No import cycles among the project's modules. The graph has an edge a → b for each *module-level* import of b in
   a (statements at the top of the module, inside a top-level ``try``/``if``; ``if TYPE_CHECKING:`` blocks and
   imports inside functions are excluded — a lazy import inside a function runs after both modules are loaded, and
   is how the few mutual uses are written). ``from p import x`` is an
   edge to ``p.x`` when that is a module, else to ``p``; a package's ``__init__`` run implicitly is not an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("symland", "proofs_check")
KERNEL = "proofs_check.recheck"

# (module imported from, name) pairs the kernel may use from outside; "*" = the module itself
ALLOWED_OUTSIDE: set = set()  # the kernel has its own certificate reader, file reader and error type


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, *, everywhere: bool) -> list[tuple[str, str]]:
    """(imported module, name) pairs; name "*" for ``import m``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    if everywhere:
        nodes = list(ast.walk(tree))
    else:
        nodes, todo = [], list(tree.body)
        while todo:
            node = todo.pop()
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                todo.extend(node.orelse)
            elif isinstance(node, (ast.If, ast.Try)):
                todo.extend(node.body + node.orelse + getattr(node, "finalbody", []) +
                            [s for h in getattr(node, "handlers", []) for s in h.body])
            else:
                nodes.append(node)
    out = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, "*") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out += [(_absolute(module, node, is_package), a.name) for a in node.names]
    return out


def _ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def test_the_recheck_kernel_imports_nothing_of_the_engine_but_what_its_docstring_lists():
    mods = _modules()
    kernel = {m: p for m, p in mods.items() if m == KERNEL or m.startswith(KERNEL + ".")}
    assert len(kernel) >= 10, sorted(kernel)
    outside = []
    for module, path in kernel.items():
        for target, name in _imports(module, path, everywhere=True):
            inside = target == KERNEL or target.startswith(KERNEL + ".")
            if _ours(target) and not inside and (target, name) not in ALLOWED_OUTSIDE:
                outside.append((module, target, name))
    assert outside == []


def test_the_kernel_rule_would_catch_an_engine_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from symland.rank import certify_rank\n    import proofs_check._numeric\n")
    got = _imports(KERNEL + ".bad", bad, everywhere=True)
    assert [(t, n) for t, n in got if _ours(t) and (t, n) not in ALLOWED_OUTSIDE] == \
        [("symland.rank", "certify_rank"), ("proofs_check._numeric", "*")]


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {}
    for module, path in mods.items():
        edges = set()
        for target, name in _imports(module, path, everywhere=False):
            if f"{target}.{name}" in mods:
                edges.add(f"{target}.{name}")
            elif target in mods:
                edges.add(target)
        edges.discard(module)
        graph[module] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` (a list of modules, first = last), or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_there_are_no_import_cycles_among_the_modules_of_the_project():
    graph = _graph()
    assert len(graph) > 80
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []
