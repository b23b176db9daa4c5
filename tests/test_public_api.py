"""The public API is what the packages' __init__ say, and the README's Python example runs."""

import re
from pathlib import Path

import symland

import proofs_check


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


def test_the_readme_own_claim_example_runs_and_proves_then_certifies(capsys):
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    code = next(c for c in re.findall(r"```python\n(.*?)```", text, re.S) if "def codimension_d_at" in c)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("('proved', 'H(m) = 0 exactly") and out[0].endswith("inertia of Hess L (4, 0, 13)')")
    assert out[1].startswith("('certified', ") and out[1].endswith("inertia of Hess L (4, 0, 13)')")


# -- the teaching API (issue 14) ---------------------------------------------------------------------------------

TEACHING = ("symbols", "H_sym", "J_sym", "L_sym", "gradient_sym", "hessian_sym")


def _tiny(y=1):
    return symland.Problem(symland.mlp((1, 1, 1), "rectpow3"), symland.Dataset.from_rows([[1]], [y]))


def test_the_symbolic_maps_of_a_problem_are_documented_where_help_shows_them():
    import pydoc

    page = pydoc.render_doc(symland.Problem, renderer=pydoc.plaintext)
    for name in TEACHING:
        doc = getattr(symland.Problem, name).__doc__
        assert doc, name
        assert doc.split("\n")[0].strip() in page, name


def test_the_symbolic_maps_have_the_exact_values_of_the_smallest_network():
    import sympy as sp

    prob = _tiny()
    w, b, v, c = prob.symbols
    at_m = {w: 1, b: 0, v: 1, c: 0}  # f(1) = 1 = y
    assert [str(s) for s in prob.symbols] == ["W1_0_0", "b1_0", "W2_0_0", "b2_0"]
    assert prob.J_sym.subs(at_m) == sp.Matrix([[3, -3, 1, -1]])
    assert prob.L_sym.subs(at_m) == 0 and prob.L_sym.subs({w: 1, b: 0, v: 2, c: 0}) == 1
    assert [g.subs({w: 1, b: 0, v: 2, c: 0}) for g in prob.gradient_sym] == [12, -12, 2, -2]  # 2 J_Hᵀ H, H = 1
    assert prob.hessian_sym.subs(at_m) == 2 * prob.J_sym.subs(at_m).T * prob.J_sym.subs(at_m)


def test_point_values_are_sympy_matrices_equal_to_the_symbolic_reference():
    import sympy as sp

    prob = _tiny()
    vals = prob.at(["2", "1", "1", "0"], hessian=True)
    at = dict(zip(prob.symbols, [2, 1, 1, 0]))
    assert vals.H_matrix() == sp.Matrix([0]) and vals.J_matrix() == prob.J_sym.subs(at)
    assert vals.hess_L_matrix() == prob.hessian_sym.subs(at)
    assert vals._repr_latex_() == r"$H = \left[\begin{matrix}0\end{matrix}\right],\quad J_H = " \
        r"\left[\begin{matrix}3 & -3 & 1 & -1\end{matrix}\right]$"


def test_exact_numbers_of_every_exact_tier_convert_to_sympy_exactly():
    import sympy as sp
    from flint import fmpq

    from symland.tiers.exppoly import from_sympy

    e = sp.Rational(3, 7) * sp.exp(sp.Rational(-2, 3)) - 5
    assert sp.sympify(from_sympy(e)) == e and symland.to_sympy(from_sympy(e)) == e
    assert symland.to_sympy(fmpq(-3, 4)) == sp.Rational(-3, 4)
    assert symland.to_sympy([[fmpq(1), 2], [fmpq(1, 2), 0]]) == sp.Matrix([[1, 2], [sp.Rational(1, 2), 0]])


def test_problems_interpolants_and_point_values_have_short_reprs():
    prob = _tiny(2)
    assert repr(prob) == "Problem(widths=(1, 1, 1), activation='rectpow3', n=4, d=1, p=1, l=1)"
    assert repr(prob.at(["1", "0", "1", "0"])) == "PointValues(n=4, residuals=1, off M, kind=RationalKind)"
    data = symland.Dataset.from_rows([[0], [1], [3]], [1, -1, 2])
    it = symland.lemma_3_3(data, symland.get_activation("rectpow3"), symland.RationalKind())
    assert repr(it) == ("Interpolant(widths=(1, 3, 1), activation='rectpow3', a=['1'], order=[0, 1, 2], "
                        "kind=RationalKind, lower_triangular=True, diagonal_nonzero=True)")


def test_a_certificate_renders_as_latex_with_its_special_characters_escaped():
    data = symland.Dataset.from_rows([[0], [1], [3]], [1, -1, 2])
    cert = proofs_check.check("lem-3.3", proofs_check.Instance("three_points", data,
                                                              symland.get_activation("rectpow3")))
    latex = cert._repr_latex_()
    assert latex.startswith(r"$\text{lem-3.3 on three\_points: proved (exact) — ") and latex.endswith("}$")


# modules the notebooks may import from besides the packages' __init__ (each documented in the README)
PUBLIC_MODULES = {"symland.plots", "symland.linalg", "symland.models", "symland.train", "symland.algebra.msolve",
                  "proofs_check.explain", "proofs_check.claims", "proofs_check.claims.cor_3_4",
                  "proofs_check.recheck", "proofs_check.certify_model"}


def test_the_notebooks_use_only_the_public_api():
    import ast
    import json

    offenders = []
    for path in sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code = "\n".join(line for line in code.splitlines() if not line.startswith("%"))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("symland", "proofs_check"):
                pkg = {"symland": symland, "proofs_check": proofs_check}.get(node.module)
                for alias in node.names:
                    public = (pkg is not None and (alias.name in pkg.__all__ or
                                                   f"{node.module}.{alias.name}" in PUBLIC_MODULES)) or \
                        node.module in PUBLIC_MODULES
                    if not public:
                        offenders.append((path.name, node.module, alias.name))
    assert offenders == []
