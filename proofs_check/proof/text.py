"""A certificate as a proof in words: Markdown with LaTeX, from the certificate's JSON alone.

The text has five parts: the statement (with the paper's numbering) and what this verdict asserts; the instance
(σ, the network, the data, the point); each hypothesis and how it was decided; the steps, each with the numbers of
the witness (:mod:`proofs_check.proof.steps` and :mod:`proofs_check.proof.construction`, one writer per witness kind
of ``proofs_check/recheck/schema/``); and what is *not* proved (local vs global). Small instances show their
matrices in full; large ones say which witness field holds the full data. The text states only what the certificate
holds: it is read, not recomputed.

>>> from proofs_check.certificate import Certificate
>>> c = Certificate(claim="thm-2.1", instance="demo", verdict="inconclusive", tier="none",
...                 evidence="deadline passed", hypotheses=(), witness={}, seconds=0.0)
>>> print(c.proof().markdown.splitlines()[0])
## Theorem 2.1 on `demo`: inconclusive
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from proofs_check.proof import construction, steps
from proofs_check.proof.latex import fits, table, tex
from proofs_check.recheck.format import (
    AT_POINT,
    CONSTRUCTION,
    GLOBAL,
    ZERO_SET,
    FormatError,
    check_envelope,
    check_witness,
    validator,
)
from proofs_check.recheck.net import build

__all__ = ["Proof", "prove", "proof_markdown", "STATEMENTS"]

#: claim id → (the paper's numbering, the statement)
STATEMENTS = {
    "thm-2.1": ("Theorem 2.1", "In the setting of §2.1, $M = L^{-1}(0) = H^{-1}(0)$ is generically (possibly after "
                "an arbitrarily small change to the data set) a smooth $n - d$ dimensional submanifold (possibly "
                "empty) of $\\mathbb R^n$. The proof: where $0$ is a regular value of $H = (f_1, \\dots, f_d)$, the "
                "regular value theorem makes $H^{-1}(0)$ smooth of codimension $d$."),
    "prop-2.3": ("Proposition 2.3", "If each $M_i = f_i^{-1}(0)$ is a smooth codimension-1 submanifold, $M$ is "
                 "nonempty and the $M_i$ intersect transversally at every point of $M$, then at any $m \\in M$ the "
                 "Hessian of $L$ has $d$ positive eigenvalues and $n - d$ eigenvalues equal to $0$: inertia "
                 "$(n_+, n_-, n_0) = (d, 0, n - d)$."),
    "lem-3.3": ("Lemma 3.3", "For $d$ data points with distinct $x_i \\in \\mathbb R^p$, $y_i \\in \\mathbb R$ and a "
                "rectified $\\sigma$, a network $f(x) = \\sum_{j=1}^d m_j\\,\\sigma(a\\cdot x - b_j)$ with one hidden "
                "layer fits the data exactly: with the projections $a\\cdot x_i$ distinct and increasing, "
                "$a\\cdot x_0 = a\\cdot x_1 - 1$ and $b_i = (a\\cdot x_{i-1} + a\\cdot x_i)/2$, the matrix "
                "$A_{ij} = \\sigma(a\\cdot x_i - b_j)$ is lower triangular with nonzero diagonal and $m = A^{-1}y$. "
                "The family has $n = 2d + p$ parameters."),
    "cor-3.4": ("Corollary 3.4", "Among feedforward networks with rectified $\\sigma$ and $T$ hidden layers, the "
                "last of width $h \\ge d$, some choice of weights represents the data with zero training error "
                "(Lemma 3.3's construction fed through the earlier layers)."),
    "thm-4.1": ("Theorem 4.1", "For a feedforward net with rectified smooth $\\sigma$ and last hidden layer of "
                "width $\\ge d$, the global minimum of $L$ is generically $0$ and $M = L^{-1}(0)$ is a nonempty "
                "smooth $n - d$ dimensional submanifold of $\\mathbb R^n$."),
    "rem-4.2": ("Remark 4.2", "With outputs $y_i \\in \\mathbb R^\\ell$, $H: \\mathbb R^n \\to \\mathbb R^{\\ell d}$ "
                "and $M$ has codimension $\\ell d$; at $m \\in M$ the Hessian of $L$ has inertia "
                "$(\\ell d, 0, n - \\ell d)$."),
    "rem-2.2": ("Remark 2.2", "The loss $\\hat L = \\sum_i |f_i|$ has the same zero set as $L = \\sum_i f_i^2$: "
                "$\\hat L^{-1}(0) = L^{-1}(0) = M$."),
    "sec-5": ("Section 5", "For the losses $L_a = \\sum_i |f_i|^a$, $a \\ge 1$, $L_a^{-1}(0) = M$, so Theorem 2.1 "
              "applies to them; what happens to the Hessian depends on $a$."),
    "thm-2.1-global": ("Theorem 2.1, globally", "$0$ is a regular value of $H$ on all of $M$: no real $w$ has "
                       "$H(w) = 0$ and $\\operatorname{rank} J_H(w) < d\\ell$ (polynomial $\\sigma$)."),
    "dim-M-global": ("Theorem 2.1, the dimension of M globally", "$H^{-1}(0)$ has dimension $n - d\\ell$ over "
                     "$\\mathbb C$ and $M$ has a real point (polynomial $\\sigma$)."),
}

_VERDICT = {
    "proved": "**proved** — decided in exact arithmetic (tier `{tier}`): every number below is an exact value.",
    "certified": "**certified** — decided with rigorous enclosures (tier `{tier}`): a number written "
                 "$[c \\pm r]$ is an Arb ball known to contain the true value.",
    "numerical": "**numerical** — floating-point evidence only (tier `{tier}`). Nothing below is a proof.",
    "refuted": "**refuted** — the witness is an exact or certified counterexample to the claim's conclusion on "
               "this instance (tier `{tier}`).",
    "hypothesis-fails": "**hypothesis-fails** — the instance violates a hypothesis of the claim, which then "
                        "predicts nothing here.",
    "inconclusive": "**inconclusive** — nothing was decided.",
}


@dataclass(frozen=True)
class Proof:
    """The proof text of one certificate; Jupyter shows it as Markdown (``_repr_markdown_``)."""

    claim: str
    instance: str
    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown


def prove(certificate) -> Proof:
    """The proof in words of a :class:`~proofs_check.certificate.Certificate` or of its JSON object.

    Raises:
        ValueError: the object is not a certificate of format v1 (``proofs_check/recheck/schema/``).
    """
    obj = certificate.to_json_obj() if hasattr(certificate, "to_json_obj") else certificate
    return Proof(obj.get("claim", "?") if isinstance(obj, Mapping) else "?",
                 obj.get("instance", "?") if isinstance(obj, Mapping) else "?", proof_markdown(obj))


def proof_markdown(obj) -> str:
    """Markdown with LaTeX for one certificate's JSON object (ValueError when it is not a valid certificate)."""
    if not isinstance(obj, Mapping):
        raise ValueError(f"a certificate is a JSON object, not {type(obj).__name__}")
    try:
        check_envelope(obj)
        kind = check_witness(obj)
    except FormatError as exc:
        raise ValueError(f"not a certificate: {exc}") from None
    claim, w = obj["claim"], obj["witness"]
    if kind is None and "instance" in w and not validator("common", "instance").is_valid(w["instance"]):
        w = {k: v for k, v in w.items() if k != "instance"}  # a free-form witness: its instance is not read
    shape = _shape(w)
    number, statement = STATEMENTS.get(claim, (claim, "(a claim this version has no statement text for)"))
    parts = [f"## {number} on `{obj['instance']}`: {obj['verdict']}",
             f"**Statement ({number}).** {statement}",
             "**This certificate.** " + _VERDICT[obj["verdict"]].format(tier=obj["tier"]) +
             f" In a few words: {obj['evidence']}"]
    parts += _instance(w, shape)
    parts += _hypotheses(obj["hypotheses"])
    body = _steps(obj, kind, shape)
    parts.append("### The proof\n\n" + "\n\n".join(body) if body else
                 "### The proof\n\nThe witness holds no numbers to build steps from.")
    if obj.get("details"):
        parts.append("**The certificate's own step log** (as recorded):\n\n" +
                     "\n".join(f"- {line}" for line in obj["details"]))
    parts.append("### What is not proved\n\n" + _not_proved(obj, kind))
    vouched = w.get("not_vouched") if isinstance(w, Mapping) else None
    if vouched:
        parts.append("Recorded but not re-derived by the re-checker: " + "; ".join(vouched) + ".")
    parts.append("*Re-check every number above from the witness alone: `symland recheck CERT.json`.*")
    return "\n\n".join(parts) + "\n"


def _shape(w) -> steps.Shape:
    inst = w.get("instance") if isinstance(w, Mapping) else None
    if not isinstance(inst, Mapping) or "X" not in inst:
        return steps.Shape(None, 0, 1, ())
    names: tuple[str, ...] = ()
    try:
        names = tuple(build(dict(inst))[0].names)  # the kernel's canonical parameter order (columns of J_H)
    except Exception:  # noqa: BLE001 - a shape the kernel does not read: columns are then numbered, not named
        names = tuple(w["point"]) if isinstance(w.get("point"), Mapping) else ()
    return steps.Shape(len(names) or None, len(inst["X"]), len(inst["Y"][0]) if inst["Y"] else 1, names)


def _instance(w, shape: steps.Shape) -> list[str]:
    inst = w.get("instance") if isinstance(w, Mapping) else None
    if not isinstance(inst, Mapping):
        return ["### The instance\n\nThe witness does not describe the instance (only its name above)."]
    if "widths" in inst:
        net = (f"a layered network with widths {inst['widths']}, "
               + ("$f(x) = W_{T+1}\\sigma(\\cdots\\sigma(W_1x - b_1)\\cdots) - b_{T+1}$" if inst.get("bias", True)
                  else "no biases, $f(x) = W_{T+1}\\sigma(\\cdots\\sigma(W_1x)\\cdots)$"))
    else:
        g = inst["network"]
        net = f"a DAG network (Section 3) with {len(g['nodes'])} nodes, {len(g['edges'])} edges, semantics " \
              f"`{g['semantics']}`"
    X, Y = inst["X"], inst["Y"]
    n = f"$n = {shape.n}$ parameters, " if shape.n else ""
    out = [f"### The instance\n\n$\\sigma$ = `{inst['activation']}`; {net}; {n}$d = {len(X)}$ data points "
           f"$x_i \\in \\mathbb R^{{{len(X[0])}}}$, $\\ell = {shape.l}$ output(s)."]
    if fits(len(X), len(X[0]) + len(Y[0]), [v for r in X + Y for v in r]):
        out.append(table(("i", "x_i", "y_i"), [(str(i + 1), "$" + ", ".join(tex(v) for v in x) + "$",
                                                "$" + ", ".join(tex(v) for v in y) + "$")
                                               for i, (x, y) in enumerate(zip(X, Y))]))
    else:
        out.append("The data are too many to print; they are the witness fields `instance.X` and `instance.Y`.")
    point = w.get("point") or w.get("params")
    if isinstance(point, Mapping):
        src = w.get("point_source", "the constructed network")
        if len(point) <= 40 and sum(len(str(v)) for v in point.values()) <= 3000:
            out.append(f"The point $m$ ({src}):\n\n" + table(("parameter", "value"), [
                (f"`{k}`", f"${tex(v)}$") for k, v in point.items()]))
        else:
            out.append(f"The point $m$ ({src}) has {len(point)} coordinates; they are the witness field "
                       f"`{'point' if 'point' in w else 'params'}` of the certificate.")
    return out


def _hypotheses(hyps) -> list[str]:
    if not hyps:
        return ["### Hypotheses\n\nThe certificate records no hypothesis check."]
    lines = [f"{i}. **{h['hypothesis']}** — {h['status']}" for i, h in enumerate(hyps, 1)]
    return ["### Hypotheses, and how each was decided\n\n" + "\n".join(lines)]


def _steps(obj, kind, shape) -> list[str]:
    claim, verdict, w = obj["claim"], obj["verdict"], obj["witness"]
    if kind == ("point", "off_M"):
        return steps.off_m(obj, w, shape)
    if kind is not None and claim in AT_POINT:
        return steps.at_point(obj, w, shape)
    if kind is not None and claim in ZERO_SET:
        return steps.zero_sets(obj, w, shape)
    if kind is not None and claim in CONSTRUCTION:
        return construction.construction(obj, w, shape)
    if kind is not None and claim in GLOBAL:
        return construction.global_claim(obj, w, shape)
    if verdict == "numerical":
        return steps.floating(obj, w, shape)
    if verdict in ("hypothesis-fails", "inconclusive"):
        why = f"**Why.** {obj['evidence']}"
        if isinstance(w, Mapping) and w.get("empty_because"):
            why += "\n\n**M is empty here**, by the witness `empty_because` = `" + \
                json.dumps(w["empty_because"], ensure_ascii=False)[:500] + "` (see the step log)."
        return [why]
    return []


def _not_proved(obj, kind) -> str:
    claim, verdict, w = obj["claim"], obj["verdict"], obj["witness"]
    if verdict == "numerical":
        return ("Nothing: floating-point numbers can agree with a claim without proving it (a tiny residual is not "
                "$0$, a small singular value may be $0$). Run with `--tier exact`, `symbolic` or `ball` for a proof.")
    if verdict == "inconclusive":
        return f"Nothing was shown. Why: {obj['evidence']}"
    if verdict == "hypothesis-fails":
        return ("The claim's hypotheses do not hold, so the claim makes no prediction here and its conclusion is "
                f"neither proved nor refuted. The failing hypothesis: {obj['evidence']}")
    local = ("This is a statement **at the point m only** (local): it does not show that $0$ is a regular value at "
             "every point of $M$ — Theorem 2.1's conclusion is about all of $M$, and other points (other "
             "components) of $M$ can have rank $J_H < d\\ell$ (for polynomial σ, `--claim thm-2.1-global` decides "
             "that over all of $\\mathbb R^n$); nor anything about $M$ far from $m$.")
    if claim in AT_POINT and verdict == "refuted":
        return ("The counterexample is at this point and instance: 0 is not a regular value here. It does not "
                "contradict the paper's theorem, which holds *generically* — after a small change of the data "
                "(Sard) a regular value is restored.")
    if claim in AT_POINT:
        extra = {"prop-2.3": " The inertia is that of Hess L at this $m$; at another point of $M$ it must be shown "
                             "again.",
                 "thm-4.1": " $M \\neq \\emptyset$ is global (it has the point $m$); the dimension is shown near $m$."
                 }.get(claim, "")
        sard = " The labels were perturbed (Step 0): the statement is for $\\tilde y$, not $y$." \
            if w.get("perturbation") else ""
        return local + extra + sard
    if claim in CONSTRUCTION:
        if verdict == "refuted":
            return ("The construction fails on this instance (see the diagonal of $A$); that does not show that no "
                    "interpolating network exists.")
        return ("For this data set and σ the proof is complete: the network is explicit and fits every data point. "
                "Not shown: anything for other data sets, or about the shape of $M$ beyond this one point of it.")
    if claim in ZERO_SET:
        return ("The zero-set identity holds everywhere by the one-line argument; the witness only illustrates it "
                "at $m$ and $m'$. Statements about differentiability and the Hessian of $L_a$ are at $m$ only.")
    if kind is not None and claim in GLOBAL:
        scope = ("The dimension is that of the complex variety $H^{-1}(0)$ (its largest component); that the real "
                 "locus $M$ has this dimension everywhere, or is smooth, is not claimed (`thm-2.1-global` decides "
                 "regularity). " if claim == "dim-M-global" else
                 "The statement is global over $\\mathbb R^n$ for this instance. ")
        return (scope + "It rests on msolve's output as recorded (engine, charts, Gröbner basis): the re-checker "
                "re-derives what it can and lists the rest as not vouched. Other data sets are not covered.")
    return "Only what the steps above show."
