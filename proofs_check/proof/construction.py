"""The steps of a proof in words for the constructions (Lemma 3.3, Corollary 3.4: a, the order, the biases, A and
its diagonal, m) and for the global claims (the charts, the dimension over ℂ, a real point), from their witnesses
(``construction.v1.json``, ``global.v1.json``). Like :mod:`proofs_check.proof.steps`, they state only what the
witness holds.
"""

from __future__ import annotations

from proofs_check.proof.latex import fits, matrix, table, tex, vector
from proofs_check.proof.steps import Shape, residuals, where

__all__ = ["construction", "global_claim"]


def construction(c: dict, w: dict, shape: Shape) -> list[str]:
    """Lemma 3.3 and Corollary 3.4: a, the order, the projections, the biases, A and its diagonal, m."""
    A, order = w.get("A", []), w.get("order", [])
    lemma = "projections" in w
    proj = w.get("projections") or w.get("values") or []
    what = "the projections $c_i = a\\cdot x_i$" if lemma else \
        "the values $c_i$ that $x_i$ sends to the last hidden layer (through $a$ and the earlier layers)"
    field = "projections" if lemma else "values"
    steps = [f"**Step 1 — the projection a.** $a = {vector(w.get('a', []))}$; {what}, in increasing order (data rows "
             + ", ".join(map(str, order)) + "), are" + (
                 f"\n\n$${vector(proj)},$$\n\npairwise distinct." if fits(1, len(proj), proj) else
                 " pairwise distinct. " + where(field, f"The list of {len(proj)}"))]
    if c["claim"] == "cor-3.4" and w.get("departure"):
        steps[0] += f" Note: {w['departure']}."
    if "x0_projection" in w:
        steps.append(f"**Step 2 — the midpoint biases.** $c_0 = a\\cdot x_0 = a\\cdot x_1 - 1 = "
                     f"{tex(w['x0_projection'])}$ and $b_i = (c_{{i-1}} + c_i)/2$:")
    else:
        steps.append("**Step 2 — the biases of the last hidden layer:**")
    b = w.get("b", [])
    steps[-1] += f"\n\n$$b = {vector(b)}.$$" if fits(1, len(b), b) else " " + where("b", "b")
    diag = [row[i] for i, row in enumerate(A) if i < len(row)]
    above = all(v == "0" for i, row in enumerate(A) for v in row[i + 1:])
    texts = [v for row in A for v in row]
    shown = f"$$A = {matrix(A)}$$" if A and fits(len(A), len(A[0]), texts) else \
        where("A", f"The {len(A)} × {len(A)} A")
    zero = [i + 1 for i, v in enumerate(diag) if v == "0"]
    steps.append("**Step 3 — the matrix A, lower triangular.** $A_{ij} = \\sigma(c_i - b_j)$ (rows in the "
                 f"sorted order). For $j > i$, $c_i < b_j$, and σ is rectified (σ = 0 on $t \\le 0$), so "
                 f"$A_{{ij}} = 0$:\n\n{shown}\n\n" +
                 ("Every entry above the diagonal is exactly `0`." if above else "**Not** every entry above the "
                  "diagonal is `0`.") + " Its diagonal is\n\n$$" + vector(diag) + "$$\n\n" +
                 (f"with zero entries at {zero}: $A$ is singular and the construction fails." if zero else
                  "with no entry `0` (each is an exact nonzero value, or a ball that excludes 0), so "
                  "$\\det A = \\prod_i A_{ii} \\neq 0$ and $A$ is invertible."))
    m = w.get("m", [])
    if m:
        steps.append("**Step 4 — the output weights.** $m = A^{-1}y$:" + (
            f"\n\n$$m = {vector(m)}.$$" if fits(1, len(m), m) else " " + where("m", "m")))
    res = w.get("residuals")
    if res:
        steps.append("**Step 5 — the fit.** The residuals $f(x_i) - y_i$ are\n\n" + residuals(res, shape) +
                     "\n\nso the network fits every data point" + (" exactly." if all(v == "0" for v in res) else
                                                                   " (entries are enclosures; see the details)."))
    return steps


def global_claim(c: dict, w: dict, shape: Shape) -> list[str]:
    system = w.get("system") or (f"$H(w) = 0$: {w.get('m')} polynomial equations $f_r(w) = 0$ in {w.get('n')} "
                                 "unknowns")
    steps = [f"**The system.** {system} (engine: {w.get('engine')})."]
    if c["claim"] == "thm-2.1-global":
        steps.append("**Why these charts.** A point of $M$ where $0$ is not a regular value is a real $w$ with "
                     "$H(w) = 0$ and $\\operatorname{rank} J_H(w) < d\\ell$, i.e. with some $\\lambda \\neq 0$ and "
                     "$J_H(w)^{\\mathsf T}\\lambda = 0$. Scaling $\\lambda$ so that its first nonzero entry "
                     "$\\lambda_k$ is $1$ puts it in exactly one chart $k$: the charts cover every $\\lambda \\neq 0$. "
                     "A chart whose status is `empty` has no solution even over $\\mathbb C$; `no-real` has finitely "
                     "many complex solutions and none is real (real root isolation); `found` has a real solution.")
    charts = w.get("charts", [])
    if charts:
        steps.append("**The charts.**\n\n" + table(("chart k", "status", "unknowns", "equations", "max degree"), [
            (str(ch.get("k")), f"`{ch.get('status')}`", str(ch.get("size", {}).get("variables", "")),
             str(ch.get("size", {}).get("equations", "")), str(ch.get("size", {}).get("max_degree", "")))
            for ch in charts]))
    if "point" in w and "lam" in w:
        steps.append(f"**A point.** The witness names a point $w$ (chart {w.get('chart')}) with multipliers "
                     f"$\\lambda = {vector(w.get('lam', []))}$: $H(w) = 0$ and $J_H(w)^{{\\mathsf T}}\\lambda = 0$.")
    if "dimension" in w:
        dim, n, m = w.get("dimension"), w.get("n"), w.get("m")
        expected = n - m if isinstance(n, int) and isinstance(m, int) else "n − dℓ"
        got = ("$H^{-1}(0)$ is **empty** over $\\mathbb C$ (the reduced Gröbner basis is $\\{1\\}$)" if dim == -1
               else f"$\\dim_{{\\mathbb C}} H^{{-1}}(0) = {dim}$ (the Krull dimension of the ideal, from its reduced "
               f"Gröbner basis of {w.get('basis_size', '?')} polynomials)")
        steps.append(f"**Dimension.** $n = {n}$ unknowns, $d\\ell = {m}$ equations, so the expected dimension is "
                     f"$n - d\\ell = {expected}$. Here {got}" + (" — as expected." if dim == expected else
                                                                  " — **not** $n - d\\ell$."))
    if "point" in w and "lam" not in w:
        steps.append("**A real point of M.** The witness names the rational point " +
                     ", ".join(f"`{k}` $= {tex(v)}$" for k, v in w["point"].items()) +
                     ", on $M$ as the verdict asserts ($H(w) = 0$ exactly; `symland recheck` recomputes it), so "
                     "$M \\neq \\emptyset$ over $\\mathbb R$.")
    return steps
