"""The layout's rules, read from the source with ``ast`` (nothing is imported, so nothing can hide at runtime).

1. The re-checker kernel, ``proofs_check/recheck/``, imports nothing of ``symland`` or of the rest of
   ``proofs_check`` — anywhere in a module, lazy imports inside functions included: its package docstring lists
   what it trusts (python-flint, sympy, jsonschema), none of it the project's code.
2. No import cycles among the project's modules, counting every import that can run: module level, inside
   functions and methods, in ``try``/``if`` blocks (only ``if TYPE_CHECKING:`` blocks are left out: they never run).
   A lazy import inside a function hides a cycle from Python's loader but not from the design: the two modules
   still depend on each other. ``from p import x`` is an edge to ``p.x`` when that is a module, else to ``p``;
   ``from . import x`` and ``from .m import x`` are resolved against the importing module; a package's
   ``__init__`` run implicitly (the parents of ``import a.b.c``) is not an edge. The cycles that existed when this
   rule was written and are being removed elsewhere are listed in ``KNOWN_CYCLES``; any other cycle fails, and so
   does an entry that no longer matches a cycle (the list only shrinks).
3. No import cycles either among module-level imports alone, with no allowance at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("symland", "proofs_check")
KERNEL = "proofs_check.recheck"

# (module imported from, name) pairs the kernel may use from outside; "*" = the module itself
ALLOWED_OUTSIDE: set = set()  # the kernel has its own certificate reader, file reader and error type


def _modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
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


# Cycles that lazy imports inside functions hid when rule 2 began to count them (issue 19), each being removed by
# a change to its own modules. THIS LIST MUST SHRINK TO EMPTY: never add an entry; delete one as soon as its cycle is
# gone (the test fails on a stale entry). Each entry is the set of modules of one strongly connected component.
#: Empty: the six cycles of issue 19 (_at_point ↔ _at_scale, _numeric → _resolved → _numeric ↔ instance,
#: recheck.claims ↔ recheck.lemma, models ↔ _torch, nearest ↔ krawczyk, linalg ↔ sparse) and recheck.ball ↔
#: recheck.newton are gone; an entry may only be added with a reason and must be removed with the cycle.
KNOWN_CYCLES: tuple = ()


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _runtime_imports(module: str, path: Path) -> list[tuple[str, str, int]]:
    """(imported module, name, line) for every import statement that can run: anywhere in the module — inside
    functions, methods, classes, ``try``/``if``/``with`` blocks — except the body of ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            out += [(a.name, "*", node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out += [(_absolute(module, node, is_package), a.name, node.lineno) for a in node.names]
        elif _type_checking(node):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))
    return sorted(out, key=lambda t: t[2])


def _edges(mods: dict[str, Path], *, everywhere: bool, root: Path = ROOT) -> dict[tuple[str, str], str]:
    """{(a, b): "path:line" of the first import of b in a (path relative to ``root``)} over the modules ``mods``."""
    edges: dict[tuple[str, str], str] = {}
    for module, path in mods.items():
        if everywhere:
            found = _runtime_imports(module, path)
        else:
            found = [(t, n, 0) for t, n in _imports(module, path, everywhere=False)]
        for target, name, line in found:
            to = f"{target}.{name}" if f"{target}.{name}" in mods else target if target in mods else None
            if to is not None and to != module:
                edges.setdefault((module, to), f"{path.relative_to(root).as_posix()}:{line}")
    return edges


def _graph(mods: dict[str, Path] | None = None, *, everywhere: bool = False, root: Path = ROOT) -> dict[str, set[str]]:
    mods = _modules() if mods is None else mods
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for a, b in _edges(mods, everywhere=everywhere, root=root):
        graph[a].add(b)
    return graph


def _components(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of ``graph`` with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out, key=sorted)


def _describe(component: frozenset[str], graph: dict[str, set[str]], sites: dict[tuple[str, str], str]) -> str:
    """One cycle inside ``component``, each edge with the file and line of its import."""
    cycle = _cycle({m: graph[m] & component for m in component})
    return " → ".join(f"{a} ({sites[a, b]})" for a, b in zip(cycle, cycle[1:])) + f" → {cycle[-1]}"


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


def test_no_import_cycles_counting_imports_inside_functions_but_the_known_ones_that_must_go():
    mods = _modules()
    sites = _edges(mods, everywhere=True)
    graph = _graph(mods, everywhere=True)
    assert len(graph) > 80
    found = _components(graph)
    unknown = [_describe(c, graph, sites) for c in found if not any(c <= k for k in KNOWN_CYCLES)]
    assert unknown == [], "import cycles (a lazy import inside a function counts too):\n" + "\n".join(unknown)
    stale = [sorted(k) for k in KNOWN_CYCLES if k not in found]
    assert stale == [], f"KNOWN_CYCLES lists cycles that are gone or smaller now; delete or shrink them: {stale}"


def test_the_graph_counts_imports_inside_functions_and_resolves_relative_ones(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from pkg.c import C\n")
    (pkg / "a.py").write_text("import os\n\nclass A:\n    def f(self):\n        from . import b\n")
    (pkg / "b.py").write_text("try:\n    from .a import A\nexcept ImportError:\n    A = None\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n"
                              "else:\n    import pkg.sub.d\nC = 1\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "d.py").write_text("def g():\n    from .. import c\n    from ..sub import d\n")
    mods = _modules(tmp_path, ("pkg",))
    assert sorted(mods) == ["pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.sub", "pkg.sub.d"]
    graph = _graph(mods, everywhere=True, root=tmp_path)
    assert graph == {"pkg": {"pkg.c"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.sub.d"},
                     "pkg.sub": set(), "pkg.sub.d": {"pkg.c"}}
    assert _components(graph) == [frozenset({"pkg.a", "pkg.b"}), frozenset({"pkg.c", "pkg.sub.d"})]
    sites = _edges(mods, everywhere=True, root=tmp_path)
    assert _describe(frozenset({"pkg.a", "pkg.b"}), graph, sites) == \
        "pkg.a (pkg/a.py:5) → pkg.b (pkg/b.py:2) → pkg.a"
    # module level only: the imports inside functions are not seen, so neither cycle is
    assert _components(_graph(mods, everywhere=False, root=tmp_path)) == []
