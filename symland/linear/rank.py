"""Proved ranks of matrices over an exact kind, with witnesses that a separate checker can redo.

* Rational matrices: :func:`symland.linear.linalg.certify_rank` (a nonsingular minor mod p for the lower
  bound, exact kernel vectors for the upper bound).
* Matrices over Q[e^Q] (smooLU values): a ring homomorphism e^(k/N) ↦ x₀^k into F_p
  (:meth:`ExpPolyKind.reduction`). A minor whose image is nonzero is a nonzero Laurent polynomial
  in the transcendental e^(1/N), hence nonzero: rank ≥ r is proved. The upper bound r ≤ min(m, n)
  is trivial when the minor is maximal; otherwise, when every entry is rational, we fall back to
  the rational route, and else we say the upper bound is unproved.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flint import fmpq, fmpz, nmod_mat

from symland.linear import linalg
from symland.numbers.exact import number_text
from symland.tiers import RationalKind
from symland.tiers.exppoly import ExpPoly

__all__ = ["RankProof", "prove_rank"]


@dataclass(frozen=True)
class RankProof:
    """rank ≥ `lower` proved by `minor`; rank ≤ `upper` proved by `kernel` (or by the shape)."""

    lower: int
    upper: int
    shape: tuple[int, int]
    minor: dict = field(default_factory=dict)  # rows, cols, prime, det_mod_p, reduction
    kernel: tuple = ()  # exact kernel vectors (strings) when rank < number of columns was proved
    method: str = ""

    @property
    def exact(self) -> bool:
        """Both bounds agree: the rank is proved."""
        return self.lower == self.upper

    @property
    def rank(self) -> int:
        if not self.exact:
            raise ValueError(f"the rank is only known to lie in [{self.lower}, {self.upper}]")
        return self.lower

    def summary(self) -> str:
        if self.exact:
            return self.method
        return f"rank between {self.lower} and {self.upper}: {self.method}"


def _minor_dict(w, reduction_witness) -> dict:
    return {
        "rows": list(w.rows),
        "cols": list(w.cols),
        "prime": int(w.prime),
        "det_mod_p": int(w.det_mod_p),
        "reduction": reduction_witness,
    }


def _denominator(kind, entries) -> fmpz:
    """The lcm of the rational coefficients' denominators: a prime not dividing it reduces every entry."""
    den = fmpz(1)
    for v in entries:
        terms = v.terms.values() if isinstance(v, ExpPoly) else (fmpq(v),)
        for c in terms:
            if c.q != 1:
                den = den.lcm(c.q)
    return den


def _hinted(kind, M, hint, rng) -> RankProof | None:
    """Full row rank from the square minor on the `hint` columns, if its image mod a prime is nonsingular.

    Only the minor's rows·rows entries are reduced mod p (the whole matrix may be huge).
    """
    rows, cols = len(M), len(M[0])
    hint = sorted(hint)
    if len(hint) != rows or len(set(hint)) != rows or not all(0 <= j < cols for j in hint):
        return None
    entries = [M[i][j] for i in range(rows) for j in hint]
    p = linalg.random_prime(rng, avoid=_denominator(kind, entries))
    try:
        red = kind.reduction(entries, p, rng)
        det = int(nmod_mat(rows, rows, [red.map(v) for v in entries], p).det())
    except ZeroDivisionError:
        return None
    if det == 0:
        return None
    minor = {"rows": list(range(rows)), "cols": hint, "prime": p, "det_mod_p": det, "reduction": red.witness}
    return RankProof(rows, rows, (rows, cols), minor, (),
                     f"nonsingular {rows}×{rows} minor on the output-weight columns (det ≡ {det} mod p = {p}); "
                     "full row rank")


def prove_rank(kind, M, *, want_kernel: bool = False, rng: random.Random | None = None,
               tries: int = 3, hint=None) -> RankProof:
    """A proof of the rank of M (list of rows) over the kind's numbers.

    ``hint``: column indices of a square minor expected to be nonsingular (e.g. the output weights at a
    constructed point); tried first, mod a prime, when no kernel is wanted.
    """
    rng = rng or random.Random(20181127)  # fixed, so primes skip the denominators at hand (random_prime's avoid)
    rows, cols = len(M), (len(M[0]) if M else 0)
    if rows == 0 or cols == 0:
        return RankProof(0, 0, (rows, cols), method="empty matrix")
    if hint is not None and not want_kernel:
        proof = _hinted(kind, M, hint, rng)
        if proof is not None:
            return proof
    if isinstance(kind, RationalKind) or all(kind.const(v).is_rational() for row in M for v in row):
        Q = M if isinstance(kind, RationalKind) else [[kind.const(v).rational() for v in r] for r in M]
        cert = linalg.certify_rank(Q, want_kernel=want_kernel, rng=rng)
        minor = _minor_dict(cert.minor, {"kind": "rational"}) if cert.minor else {}
        kernel = tuple(tuple(str(x) for x in v) for v in (cert.kernel or ()))
        return RankProof(cert.rank, cert.rank, (rows, cols), minor, kernel, cert.method)
    entries = [v for row in M for v in row]
    best = None
    avoid = _denominator(kind, entries)
    for _ in range(tries):
        p = linalg.random_prime(rng, avoid=avoid)
        try:
            red = kind.reduction(entries, p, rng)
            A = nmod_mat([[red.map(v) for v in row] for row in M], p)
        except ZeroDivisionError:
            continue
        r, rs, cs = linalg.rank_profile_mod_p(A)
        det = nmod_mat([[int(A[i, j]) for j in cs] for i in rs], p).det() if r else 0
        cand = {"rows": list(rs), "cols": list(cs), "prime": p, "det_mod_p": int(det),
                "reduction": red.witness}
        if best is None or r > best[0]:
            best = (r, cand)
        if r == min(rows, cols):
            break
    r, minor = best
    method = (
        f"nonsingular {r}×{r} minor (image mod p = {minor['prime']} under "
        f"e^(k/{number_text(minor['reduction']['N'], 40)}) ↦ {minor['reduction']['x0']}^k is nonzero)"
    )
    if r == min(rows, cols):
        full = "full row rank" if r == rows else "full column rank"
        return RankProof(r, r, (rows, cols), minor, (), f"{method}; {full}")
    return RankProof(r, min(rows, cols), (rows, cols), minor, (),
                     method + "; no exact kernel over Q[e^Q] computed")

