"""How certificates are shown: the text table, Markdown, HTML, LaTeX and JSON text.

The renderers read a certificate's fields only; :class:`~proofs_check.certificate.Certificate` and
:class:`~proofs_check.certificate.CertificateList` call them (``str()``, ``to_markdown``, ``_repr_html_``,
``_repr_latex_``, ``to_json``) and :mod:`proofs_check.certificate` re-exports the public names.

>>> abbreviate_numbers("m = " + "1" * 50 + "/3", 10)
'm = 11111…11111 (50 digits)/3'
"""

from __future__ import annotations

import html
import json
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from proofs_check.verdicts import VERDICTS

if TYPE_CHECKING:
    from proofs_check.certificate import Certificate

__all__ = ["COLUMNS", "format_table", "summary_line", "abbreviate_numbers", "any_size_ints", "dumps", "text_row",
           "markdown", "html_table", "latex_text"]


@contextmanager
def any_size_ints():
    """Lift Python's 4,300-digit limit on int ↔ str for the duration (JSON carries exact integers of any size).

    The limit guards against quadratic conversions of untrusted text; symland's inputs are already bounded
    (file size, deadline), and an exact witness must print whole. The previous limit is restored on exit.
    """
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    if old is not None:
        sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        if old is not None:
            sys.set_int_max_str_digits(old)


def dumps(obj: Any, **kw: Any) -> str:
    with any_size_ints():
        return json.dumps(obj, allow_nan=False, **kw)


_LONG_DIGITS = re.compile(r"\d{41,}")


def abbreviate_numbers(text: str, max_digits: int = 40) -> str:
    """``text`` with every run of more than ``max_digits`` digits shortened, for tables (JSON keeps them whole).

    >>> abbreviate_numbers("m = " + "1" * 50 + "/3", 10)
    'm = 11111…11111 (50 digits)/3'
    """
    half = max(1, max_digits // 2)
    pattern = _LONG_DIGITS if max_digits == 40 else re.compile(rf"\d{{{max_digits + 1},}}")
    return pattern.sub(lambda m: f"{m.group()[:half]}…{m.group()[-half:]} ({len(m.group())} digits)", text)


# ------------------------------------------------------------------------ text table

#: The columns of the text table, in order.
COLUMNS = ("claim", "instance", "tier", "verdict", "time", "evidence")
_SEP = "  "
_MAX = {"claim": 14, "instance": 20, "tier": 8, "verdict": 16, "time": 7}
_MIN_EVIDENCE = 24
_EVIDENCE_LINES = 3


def _seconds_text(s: float) -> str:
    return f"{s:.2f}s" if s < 10 else f"{s:.1f}s" if s < 1000 else f"{s:.0f}s"


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _flagged(cert: Certificate) -> bool:
    """A row to mark ``!``: its verdict is not the one expected (a row without an expectation is never marked)."""
    return cert.expected is not None and not cert.ok


def text_row(cert: Certificate, widths: Mapping[str, int]) -> str:
    """One row; the evidence wraps to at most three lines, cut with ``…`` — unless the part cut names an option
    (``--…``: the hint that says what to do), which the table never cuts: then it wraps in full."""
    mark = "!" if _flagged(cert) else " "
    cells = [
        _fit(cert.claim, widths["claim"]).ljust(widths["claim"]),
        _fit(cert.instance, widths["instance"]).ljust(widths["instance"]),
        cert.tier.ljust(widths["tier"]),
        cert.verdict.ljust(widths["verdict"]),
        _seconds_text(cert.seconds).rjust(widths["time"]),
    ]
    lines = textwrap.wrap(" ".join(abbreviate_numbers(cert.evidence).split()), widths["evidence"]) or [""]
    if len(lines) > _EVIDENCE_LINES and "--" not in " ".join(lines[_EVIDENCE_LINES - 1:]):
        lines = lines[: _EVIDENCE_LINES - 1] + [_fit(" ".join(lines[_EVIDENCE_LINES - 1:]), widths["evidence"])]
    head = mark + _SEP.join(cells) + _SEP
    indent = " " * len(head)
    return "\n".join([head + lines[0]] + [indent + line for line in lines[1:]]).rstrip()


def _widths(certs: Iterable[Certificate], width: int) -> dict[str, int]:
    certs = list(certs)
    w = {"claim": 5, "instance": 8, "tier": 4, "verdict": 7, "time": 5}
    for c in certs:
        w["claim"] = max(w["claim"], len(c.claim))
        w["instance"] = max(w["instance"], len(c.instance))
        w["tier"] = max(w["tier"], len(c.tier))
        w["verdict"] = max(w["verdict"], len(c.verdict))
        w["time"] = max(w["time"], len(_seconds_text(c.seconds)))
    w = {k: min(v, _MAX[k]) for k, v in w.items()}
    used = 1 + sum(w.values()) + len(_SEP) * len(w)
    w["evidence"] = max(_MIN_EVIDENCE, width - used)
    return w


def summary_line(certs: Iterable[Certificate]) -> str:
    """``"N claims checked: a proved, b certified, …; all as expected"`` (or ``"; k not as expected"``); without
    the tail when no certificate carries an expectation (your own data: the paper predicts nothing about it)."""
    certs = list(certs)
    counts = ", ".join(f"{sum(c.verdict == v for c in certs)} {v}" for v in VERDICTS)
    bad = sum(_flagged(c) for c in certs)
    tail = "all as expected" if bad == 0 else f"{bad} not as expected"
    noun = "claim" if len(certs) == 1 else "claims"
    if all(c.expected is None for c in certs):
        return f"{len(certs)} {noun} checked: {counts}"
    return f"{len(certs)} {noun} checked: {counts}; {tail}"


def format_table(certs: Iterable[Certificate], width: int = 100) -> str:
    """A plain-text table, one row per certificate, for a terminal ``width`` columns wide.

    Rows whose verdict is not the one expected start with ``!`` and are listed again below the
    table (rows with no expectation, as on your own data, never); the last line is :func:`summary_line`.
    """
    certs = list(certs)
    w = _widths(certs, width)
    header = " " + _SEP.join(
        (name.rjust(w[name]) if name == "time" else name.ljust(w[name])) for name in COLUMNS
    ).rstrip()
    rows = [c.text_row(w) for c in certs]
    rule = "-" * max(len(line) for line in "\n".join([header] + rows).splitlines())
    lines = [header, rule] + rows + [rule]
    for c in certs:
        if _flagged(c):
            lines.append(f"! {c.claim} on {c.instance}: {c.verdict}, expected {c.expected}")
    lines.append(summary_line(certs))
    return "\n".join(lines)


# ------------------------------------------------------------------ Markdown and HTML

_COLOURS = {
    "proved": "#1a7f37", "certified": "#1a7f37", "numerical": "#b35900",
    "refuted": "#c62828", "hypothesis-fails": "#c62828", "inconclusive": "#6e7781",
}


def _mark(cert: Certificate) -> str:
    if cert.ok:
        return " ✓"
    if cert.expected is not None:
        return f" ✗ (expected {cert.expected})"
    return ""


def _verdict_html(cert: Certificate) -> str:
    colour = _COLOURS[cert.verdict]
    return (f'<span style="color:{colour};font-weight:bold">{html.escape(cert.verdict)}</span>'
            f"{html.escape(_mark(cert))}")


def _md_cell(text: str) -> str:
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def markdown(certs: Iterable[Certificate]) -> str:
    certs = list(certs)
    rows = ["| claim | instance | verdict | tier | time | evidence |",
            "| --- | --- | --- | --- | ---: | --- |"]
    for c in certs:
        rows.append(f"| {_md_cell(c.claim)} | {_md_cell(c.instance)} | {_verdict_html(c)} | "
                    f"{c.tier} | {_seconds_text(c.seconds)} | {_md_cell(c.evidence)} |")
    lines = ["\n".join(rows), ""]
    for c in certs:
        if c.hypotheses:
            lines.append(f"- hypotheses of {_md_cell(c.claim)} on {_md_cell(c.instance)}:")
            lines += [f"  - {_md_cell(h)}: {_md_cell(s)}" for h, s in c.hypotheses]
    lines.append("")
    lines.append(html.escape(summary_line(certs)))
    return "\n".join(lines)


def _html_row(c: Certificate) -> str:
    e = html.escape
    hyps = "".join(f"<li>{e(h)}: {e(s)}</li>" for h, s in c.hypotheses)
    hyps = f'<ul style="margin:0;padding-left:1.2em">{hyps}</ul>' if hyps else ""
    more = ""
    if c.details or c.witness:
        steps = "".join(f"<li>{e(line)}</li>" for line in c.details)
        witness = e(dumps(c.witness, indent=1)) if c.witness else ""
        more = (f"<details><summary>steps and witness</summary>"
                f"{'<ol>' + steps + '</ol>' if steps else ''}"
                f"{'<pre>' + witness + '</pre>' if witness else ''}</details>")
    cells = [e(c.claim), e(c.instance), _verdict_html(c), e(c.tier), e(_seconds_text(c.seconds)),
             e(c.evidence) + more, hyps]
    return "<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">{x}</td>' for x in cells) + "</tr>"


def html_table(certs: Iterable[Certificate]) -> str:
    certs = list(certs)
    head = "".join(f'<th style="text-align:left">{h}</th>'
                   for h in ("claim", "instance", "verdict", "tier", "time", "evidence", "hypotheses"))
    body = "".join(_html_row(c) for c in certs)
    return (f'<table class="symland-certificates"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table><p>{html.escape(summary_line(certs))}</p>")


def latex_text(text: str) -> str:
    r"""``text`` inside ``\text{…}``, its LaTeX special characters escaped.

    >>> latex_text("a_1 & 50%")
    '\\text{a\\_1 \\& 50\\%}'
    """
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "&": r"\&", "%": r"\%",
               "#": r"\#", "$": r"\$", "^": r"\^{}", "~": r"\~{}"}
    return r"\text{" + "".join(special.get(ch, ch) for ch in text) + "}"
