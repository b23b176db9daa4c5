"""Proofs in words: a certificate rendered as Markdown with LaTeX (``symland proof``, ``Certificate.proof()``).

:mod:`~proofs_check.proof.text` writes the statement, the instance, the hypotheses and what is not proved;
:mod:`~proofs_check.proof.steps` and :mod:`~proofs_check.proof.construction` the steps of each witness kind;
:mod:`~proofs_check.proof.latex` the values, vectors and matrices.
"""

from proofs_check.proof.text import STATEMENTS, Proof, proof_markdown, prove

__all__ = ["Proof", "prove", "proof_markdown", "STATEMENTS"]
