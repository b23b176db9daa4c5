"""``symland proof CERT.json``: the proof in words of saved certificates, as Markdown with LaTeX.

CERT.json holds one certificate, a list of them (``symland verify --json``), the report of ``symland certify
--json`` (its certificates), or JSON lines (a sweep's results file). ``--claim`` and ``--instance`` choose among
them. Each certificate is validated against the written format (``proofs_check/recheck/schema/``) first; the text
is :func:`proofs_check.proof.text.proof_markdown`. Exit 0 when a proof text was written, 2 when the file cannot be
read or holds no certificate that matches (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys

from symland.errors import InputError

__all__ = ["add_parser", "run", "load_certificates"]


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``proof`` subcommand on the ``symland`` parser's subparsers ``sub``."""
    p = sub.add_parser("proof", help="write the proof of a saved certificate in words (Markdown with LaTeX)",
                       description="Write, for each certificate in the file, the proof of its claim at its instance: "
                       "the statement (paper numbering), the instance, each hypothesis and how it was decided, each "
                       "step with the numbers of the witness, and what is not proved. Exit 0, or 2 on a bad file.")
    p.add_argument("file", metavar="CERT.json", help="a certificate, a list (verify --json), a certify --json report, "
                   "or JSON lines (a sweep's results)")
    p.add_argument("--claim", action="append", metavar="ID", help="only the certificates of this claim (repeatable)")
    p.add_argument("--instance", metavar="NAME", help="only the certificates of this instance")
    p.add_argument("--out", metavar="FILE", help="write the Markdown to FILE instead of standard output")
    p.set_defaults(timeout=None)  # the default --timeout bounds it (reading and writing text only)
    return p


def load_certificates(path: str) -> list[dict]:
    """The certificate objects in ``path`` (InputError with one line when there are none or it is unreadable)."""
    from proofs_check.recheck.cli import RecheckInputError, read_text  # here: `symland --help` loads no engine

    try:
        text = read_text(path)
    except RecheckInputError as exc:
        raise InputError(str(exc)) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        try:
            obj = [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            raise InputError(f"{path}: neither JSON nor JSON lines ({exc.msg} at line {exc.lineno})") from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"{path}: not valid JSON ({type(exc).__name__})") from None
    if isinstance(obj, dict) and isinstance(obj.get("certificates"), list) and "claim" not in obj:
        obj = obj["certificates"]  # the report of `symland certify --json`
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise InputError(f"{path}: holds no certificates")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: item {i} is a JSON {type(item).__name__}, not a certificate object")
    return items


def run(args) -> int:
    from proofs_check.proof import proof_markdown

    items = load_certificates(args.file)
    chosen = [c for c in items if (not args.claim or c.get("claim") in args.claim)
              and (args.instance is None or c.get("instance") == args.instance)]
    if not chosen:
        have = sorted({f"{c.get('claim')} on {c.get('instance')}" for c in items})
        raise InputError(f"{args.file}: no certificate matches (it holds: {', '.join(have)[:300]})")
    texts = []
    for i, c in enumerate(chosen, 1):
        try:
            texts.append(proof_markdown(c))
        except ValueError as exc:
            where = f"certificate {i}" if len(chosen) > 1 else "the certificate"
            raise InputError(f"{args.file}: {where} cannot be read: {str(exc)[:300]}") from None
    out = "\n---\n\n".join(texts)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(out)
        except OSError as exc:
            raise InputError(f"--out {args.out}: cannot write ({exc.strerror or exc})") from None
        print(f"symland: wrote the proof of {len(texts)} certificate{'s' * (len(texts) != 1)} to {args.out}",
              file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0
