"""The steps of a proof in words, one writer per witness kind (see ``proofs_check/recheck/schema/``): a point of M
(Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2), a point off M, the zero sets (Remark 2.2, Section 5), and a
floating-point witness; the constructions and the global claims are in :mod:`proofs_check.proof.construction`.

Every writer states only what the witness holds: the numbers are copied from it, and a step the witness has no
data for says so. :mod:`proofs_check.proof.text` puts the steps between the statement and what is not proved.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from proofs_check.proof.latex import fits, matrix, table, tex, vector

__all__ = ["Shape", "at_point", "off_m", "zero_sets", "floating", "where", "residuals"]


@dataclass(frozen=True)
class Shape:
    """n parameters (named, in the order of J_H's columns), d data points, ℓ outputs."""

    n: int | None
    d: int
    l: int
    names: tuple[str, ...]

    def col(self, j: int) -> str:
        return f"`{self.names[j]}`" if j < len(self.names) else f"θ_{j + 1}"

    def row(self, r: int) -> str:
        return f"f_{{{r + 1}}}" if self.l <= 1 else f"f_{{{r // self.l + 1},{r % self.l + 1}}}"


def _co(n: int | None, d: int):
    """n − d, or the text "n − d" when the witness does not fix n."""
    return n - d if isinstance(n, int) else "n − d"


def where(field: str, what: str) -> str:
    return f"{what} is too large to print here; it is the witness field `{field}` of the certificate (JSON)."


def residuals(H: list, shape: Shape, name: str = "m") -> str:
    if not fits(1, len(H), H):
        zero = sum(1 for v in H if v == "0")
        return f"{len(H)} residuals, {zero} of them exactly `0`. " + where("H", "The full list")
    return "$$" + ",\\quad ".join(f"{shape.row(r)}({name}) = {tex(v)}" for r, v in enumerate(H)) + "$$"


def _membership(w: dict, shape: Shape, exact: bool) -> str:
    H = w.get("H", [])
    head = "**Step 1 — H(m) = 0, entry by entry.** "
    src = w.get("point_source", "the point")
    if exact:
        why = ("Each entry is the exact value `0` (rational, or an exponential polynomial whose every coefficient "
               "is 0), so $L(m) = \\sum_r f_r(m)^2 = 0$ and $m \\in M = H^{-1}(0)$.")
    else:
        why = ("Each entry is `0` or an Arb ball containing 0. A ball containing 0 does not by itself prove "
               "$f_r(m) = 0$; the certificate's details say how $H(m) = 0$ was shown exactly (for the "
               "Lemma 3.3 point: $A m = y$ with $A$ lower triangular and diagonal certified $\\neq 0$).")
    return f"{head}At {src}, $H(m) = (f_1(m), \\dots)$ is\n\n{residuals(H, shape)}\n\n{why}"


def _rank_step(w: dict, shape: Shape, d: int) -> str:
    rank = w.get("rank") or {}
    minor = rank.get("minor") or {}
    rows, cols = minor.get("rows", []), minor.get("cols", [])
    lo, up = rank.get("lower"), rank.get("upper")
    head = f"**Step 2 — rank $J_H(m)$ = {lo} from a {len(rows)} × {len(cols)} minor.** " if lo == up else \
        f"**Step 2 — {lo} ≤ rank $J_H(m)$ ≤ {up}.** "
    if not rows:
        return head + "The witness records no nonzero minor (rank ≥ 0 only). Method: " + rank.get("method", "")
    rtext = ", ".join(f"${shape.row(r)}$" for r in rows)
    ctext = ", ".join(f"{j + 1} ({shape.col(j)})" for j in cols) if len(cols) <= 40 else \
        f"{len(cols)} columns, the witness field `rank.minor.cols`"
    out = [head + f"Take the rows {rtext} of $J_H(m)$ (the gradients $\\nabla f_r(m)$) and the columns {ctext}."]
    if "prime" in minor:
        p, det = minor["prime"], minor["det_mod_p"]
        red = minor.get("reduction", {})
        out.append(f"Reduced modulo the prime $p = {p}$, the determinant of this minor is"
                   f"\n\n$$\\det S \\equiv {det} \\pmod{{{p}}},$$\n\nwhich is not $0$ modulo $p$.")
        if red.get("kind") == "exppoly":
            N, x0 = red.get("N"), red.get("x0")
            out.append(f"The entries lie in $\\mathbb Q[e^{{1/{N}}}, e^{{-1/{N}}}]$. Since $t = e^{{1/{N}}}$ is "
                       "transcendental (Lindemann–Weierstrass), this ring is the Laurent polynomial ring "
                       f"$\\mathbb Q[t, t^{{-1}}]$, and $t \\mapsto {x0}$ followed by reduction mod $p$ is a ring "
                       "homomorphism on the entries (their coefficients have denominators prime to $p$, as "
                       "`symland recheck` verifies when it recomputes them). A ring homomorphism sends $0$ to $0$ and "
                       "commutes with the determinant, so the image $\\not\\equiv 0$ proves $\\det S \\neq 0$.")
        else:
            out.append("The entries are rationals whose denominators are prime to $p$ (as `symland recheck` verifies "
                       "when it recomputes them); reduction mod $p$ is a ring homomorphism "
                       "$\\mathbb Z_{(p)} \\to \\mathbb F_p$ that commutes with the determinant, so "
                       "$\\det S \\not\\equiv 0 \\pmod p$ proves $\\det S \\neq 0$ over $\\mathbb Q$. (Only this "
                       "direction holds: a nonzero rational can vanish mod $p$, so a zero mod $p$ would prove "
                       "nothing.)")
    elif "det" in minor:
        out.append(f"In Arb ball arithmetic at {minor.get('prec')} bits its determinant is enclosed as "
                   f"`{minor['det']}`: an enclosure that excludes 0 proves $\\det S \\neq 0$ (a rigorous bound, "
                   "no rounding error ignored).")
    out.append(f"A nonzero {len(rows)} × {len(rows)} minor makes those {len(rows)} row(s) linearly independent: "
               f"$\\operatorname{{rank}} J_H(m) \\ge {lo}$.")
    if lo == up == d:
        out.append(f"$J_H(m)$ has only $d\\ell = {d}$ rows, so the rank is exactly {d}: full row rank, i.e. "
                   f"$\\nabla f_1(m), \\dots$ are linearly independent and $0$ is a regular value of $H$ at $m$.")
    elif up is not None and up < d:
        out.append(f"The upper bound {up} < {d} comes from {shape.n - up if shape.n else '?'} independent kernel "
                   f"vectors (Step 3): rank–nullity gives rank ≤ n − {shape.n - up if shape.n else '?'} = {up}. "
                   f"So $0$ is **not** a regular value of $H$ at $m$.")
    return "\n\n".join(out)


def _vectors(basis: list, shape: Shape, field: str) -> str:
    texts = [v for vec in basis for v in vec]
    if basis and fits(len(basis), len(basis[0]), texts):
        return "$$" + matrix(basis) + "$$\n\n(one vector per row)"
    first = f" The first is $v_1 = {vector(basis[0])}$." if basis and fits(1, len(basis[0]), basis[0]) else ""
    return where(field, f"The {len(basis)} × {len(basis[0]) if basis else 0} array") + first


def _tangent_step(w: dict, shape: Shape, d: int) -> str:
    rank = (w.get("rank") or {}).get("upper")
    basis = w.get("tangent_basis")
    n = shape.n
    head = "**Step 3 — the tangent space.** "
    if rank is not None and rank < d:
        head = "**Step 3 — the kernel of $J_H(m)$.** "
        text = (f"$\\ker J_H(m)$ contains the {len(basis or [])} vectors below, exact, with $J_H(m)v = 0$ and "
                "linearly independent:")
        return head + text + "\n\n" + _vectors(basis or [], shape, "tangent_basis")
    cls = w.get("smoothness", "?")
    kind = "smooth" if cls == "smooth" else f"${cls}$" if cls.startswith("C^") else f"`{cls}`"
    text = (f"Since $H$ is {kind} near $m$ (the smoothness class the certificate records; see the hypotheses) and "
            f"$J_H(m)$ has full row rank {d}, the regular value theorem (the implicit function theorem) makes "
            f"$M = H^{{-1}}(0)$, near $m$, a {kind} submanifold of dimension $n - d\\ell = {n} - {d} = {_co(n, d)}$ "
            "with tangent space $T_mM = \\ker J_H(m)$ (rank–nullity: dimension $n - d\\ell$).")
    if basis:
        text += f" The witness lists a basis of {len(basis)} exact vectors $v$ with $J_H(m)v = 0$:\n\n" + \
            _vectors(basis, shape, "tangent_basis")
    else:
        text += " The witness lists no basis of $T_mM$ (none is needed for the dimension)."
    return head + text


def _sign(value: str) -> int | None:
    try:
        q = Fraction(value)
    except (ValueError, ZeroDivisionError):
        return None
    return (q > 0) - (q < 0)


def _hessian_steps(w: dict, shape: Shape, d: int, exact: bool) -> list[str]:
    n = shape.n
    inertia = w.get("inertia")
    out = ["**Step 4 — the Hessian at m.** Differentiating $L = \\sum_r f_r^2$ twice, "
           "$\\operatorname{Hess} L = 2J_H^{\\mathsf T}J_H + 2\\sum_r f_r\\,\\operatorname{Hess} f_r$. By Step 1 every "
           "$f_r(m) = 0$" + ("" if exact else " (shown exactly as the step log below records; the enclosures "
                                           "alone would not show it)") + ", so "
           "$\\operatorname{Hess} L(m) = 2J_H(m)^{\\mathsf T}J_H(m)$: a Gram matrix, hence positive semidefinite "
           "($v^{\\mathsf T}\\,2J^{\\mathsf T}J\\,v = 2|Jv|^2 \\ge 0$), with kernel $\\ker J_H(m)$ and rank "
           f"$\\operatorname{{rank}} J_H(m) = {d}$ (Step 2). So no eigenvalue is negative ($n_- = 0$), "
           f"$n_+ = \\operatorname{{rank}} = {d}$ and $n_0 = n - {d} = {_co(n, d)}$."]
    D = w.get("congruence_diagonal")
    if D:
        signs = [_sign(v) for v in D]
        pos, neg, zero = signs.count(1), signs.count(-1), signs.count(0)
        shown = "$$D = " + vector(D) + "$$" if fits(1, len(D), D) else where("congruence_diagonal", "D")
        out.append("**Step 5 — the congruence giving the inertia (Sylvester's law).** Independently, the witness "
                   "records an exact congruence "
                   "$P\\,\\operatorname{Hess}L(m)\\,P^{\\mathsf T} = \\operatorname{diag}(D)$ with"
                   f" $P$ invertible:\n\n{shown}\n\nBy Sylvester's law of inertia a congruence preserves the "
                   f"numbers of positive, negative and zero eigenvalues; $D$ has {pos} positive, {neg} negative and "
                   f"{zero} zero entries, so the inertia is $(n_+, n_-, n_0) = ({pos}, {neg}, {zero})$.")
    if inertia:
        out.append(f"**Inertia.** $(n_+, n_-, n_0) = ({inertia[0]}, {inertia[1]}, {inertia[2]})$ in Sylvester order; "
                   f"the paper predicts $(d\\ell, 0, n - d\\ell) = ({d}, 0, {_co(n, d)})$" +
                   (" — as predicted." if list(inertia) == [d, 0, _co(n, d)] else " — **not** as predicted."))
    grad = w.get("gradient_nonzero_index")
    if grad:
        items = ", ".join(f"$\\partial {shape.row(r)}/\\partial${shape.col(j)}" for r, j in enumerate(grad)
                          if j is not None) if len(grad) <= 20 else "(the witness field `gradient_nonzero_index`)"
        out.append("**Each Hess(f_r²) has rank one.** $\\operatorname{Hess}(f_r^2)(m) = 2\\nabla f_r\\nabla f_r^"
                   "{\\mathsf T} + 2f_r\\operatorname{Hess}f_r = 2\\nabla f_r\\nabla f_r^{\\mathsf T}$, of rank one "
                   f"because $\\nabla f_r(m) \\neq 0$: a nonzero partial derivative for each $r$ — {items}. Its "
                   "nonzero eigenvalue $2|\\nabla f_r|^2$ is positive. The $\\nabla f_r(m)$ are independent (Step 2): "
                   "the $M_r$ meet transversally at $m$.")
    return out


def at_point(c: dict, w: dict, shape: Shape) -> list[str]:
    """Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2 at a point (exact or ball)."""
    d = shape.d * shape.l
    exact = c["tier"] in ("exact", "symbolic")
    steps = []
    if w.get("perturbation"):
        steps.append("**Step 0 — Sard's perturbation.** The labels were moved to $\\tilde y = y + r$ with "
                     f"$r = {vector(w['perturbation'])}$; everything below is for $\\tilde y$.")
    if "model" in w:
        mod = w["model"]
        steps.append(f"**The trained model.** The point $m$ was re-solved from `{mod.get('source')}` "
                     f"({mod.get('bias_convention')}; {mod.get('nearest_method')}); the model's parameters are "
                     f"within $\\ell^\\infty$ distance ≤ {mod.get('distance_linf_upper')} and $\\ell^2$ distance ≤ "
                     f"{mod.get('distance_l2_upper')} of $m$ (columns re-solved: "
                     f"{len(mod.get('resolved_columns', []))}).")
    if "point_omitted" in w:
        steps.append(f"**The point.** Not written: {w['point_omitted']}." + (
            f" It is regenerated from $a = {vector(w['generator']['a'])}$ and gap `{w['generator']['gap']}` by the "
            "construction it names." if "generator" in w else ""))
    steps.append(_membership(w, shape, exact))
    steps.append(_rank_step(w, shape, d))
    steps.append(_tangent_step(w, shape, d))
    if c["claim"] in ("prop-2.3", "rem-4.2") and c["verdict"] in ("proved", "certified"):
        steps += _hessian_steps(w, shape, d, exact)
    if c["claim"] == "thm-4.1" and c["verdict"] in ("proved", "certified"):
        steps.append("**Nonempty.** $m \\in M$ (Step 1), so $M \\neq \\emptyset$; with Steps 2–3, $M$ is near $m$ a "
                     f"smooth manifold of dimension $n - d = {_co(shape.n, d)}$.")
    return steps


def off_m(c: dict, w: dict, shape: Shape) -> list[str]:
    H = w.get("H", [])
    nonzero = [r for r, v in enumerate(H) if v != "0"]
    first = f" The first nonzero entry is ${shape.row(nonzero[0])}(m) = {tex(H[nonzero[0]])}$." if nonzero else ""
    return ["**The point is not on M.** At the given point, $H(m)$ is\n\n" + residuals(H, shape) + "\n\n"
            f"{len(nonzero)} of the {len(H)} entries are nonzero, so $L(m) > 0$ and $m \\notin M$.{first} The claim "
            "speaks about points of $M$: it is not tested here."]


def zero_sets(c: dict, w: dict, shape: Shape) -> list[str]:
    a = ", ".join(f"${tex(v)}$" for v in w.get("exponents", []))
    return ["**The identity.** For every parameter $w$ and every $a > 0$, $\\sum_r |f_r(w)|^a = 0$ if and only if "
            "every $f_r(w) = 0$ (a sum of nonnegative terms vanishes iff each does), iff $L(w) = 0$. So the zero "
            "set of $L_a$ is $M$ for every $a$ — this needs no computation.",
            "**At m.** $H(m)$ is\n\n" + residuals(w.get("H_at_m", []), shape) + "\n\nso $L_a(m) = 0$: $m$ is in "
            "both zero sets.",
            "**At m′** (a second point): $H(m')$ is\n\n" + residuals(w.get("H_at_m_prime", []), shape, "m'") +
            "\n\nnot all zero, so $m'$ is in neither zero set.",
            f"**Exponents examined:** {a}; rank $J_H(m)$ = {w.get('rank')}. The certificate's details give what "
            "happens to differentiability and the Hessian for each $a$ (copied below)."]


def floating(c: dict, w: dict, shape: Shape) -> list[str]:
    """A numerical witness: the float numbers, stated as evidence and nothing more."""
    keys = [k for k in w if k not in ("instance", "point", "params")]
    rows = []
    for k in keys:
        v = w[k]
        text = str(v) if not isinstance(v, (list, dict)) or len(str(v)) <= 160 else f"({len(v)} entries, see JSON)"
        rows.append((f"`{k}`", text.replace("|", "\\|")))
    return ["**Floating-point evidence (not a proof).** The witness records:\n\n" + table(("field", "value"), rows)]
