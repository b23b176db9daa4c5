"""Timings of symland.linalg on random rational matrices: prints a small table, asserts nothing.

Run: python benchmarks/bench_linalg.py [--big].  The 300 × 97,000 case starts from an fmpq_mat built in C; --big
also starts it from a list of 29 million fmpq rows (peak 3.2 GB of RAM; building the list takes about 80 s).
"""

from __future__ import annotations

import random
import sys
import time

from flint import fmpq, fmpq_mat, fmpz_mat

from symland.linalg import certify_rank, inertia, inertia_charpoly, random_prime, to_nmod


def _rows(rng: random.Random, m: int, n: int) -> list[list[fmpq]]:
    return [[fmpq(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n)] for _ in range(m)]


def _timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def main() -> None:
    rng = random.Random(0)
    table: list[tuple[str, str, str]] = []

    M = _rows(rng, 100, 11_301)
    p = random_prime(rng)
    Q, t_mat = _timed(lambda: fmpq_mat(M))
    _, t_nmod = _timed(lambda: to_nmod(Q, p))
    table.append(("list of rows → fmpq_mat, 100 × 11,301", f"{t_mat:.2f} s", ""))
    table.append(("to_nmod(fmpq_mat), 100 × 11,301", f"{t_nmod:.2f} s", ""))
    cert, t = _timed(lambda: certify_rank(M, rng=rng))
    table.append(("certify_rank(list of rows), 100 × 11,301", f"{t:.2f} s", f"rank {cert.rank}"))

    low = _rows(rng, 80, 2_000)  # 20 more rows, each the sum of two of the first 80: rank 80
    low += [[a + b for a, b in zip(low[rng.randrange(80)], low[rng.randrange(80)])] for _ in range(20)]
    cert, t = _timed(lambda: certify_rank(low, rng=rng))
    table.append(("certify_rank + kernel, 100 × 2,000 of rank 80", f"{t:.2f} s", f"rank {cert.rank}, 1,920 vectors"))

    # 300 × 97,000 from C (fmpz_mat.randtest / 7): the same work without 29 M Python objects.
    Z = fmpz_mat.randtest(300, 97_000, 10)
    big, t_build = _timed(lambda: fmpq_mat(Z) / 7)
    est = t_build + 2.0
    if est < 60:
        cert, t = _timed(lambda: certify_rank(big, rng=rng))
        table.append(("certify_rank(fmpq_mat), 300 × 97,000", f"{t:.2f} s", f"rank {cert.rank}"))
    else:
        table.append(("certify_rank, 300 × 97,000", "skipped", f"building the matrix alone took {t_build:.0f} s"))
    if "--big" in sys.argv:
        rows, t_rows = _timed(lambda: _rows(rng, 300, 97_000))
        cert, t = _timed(lambda: certify_rank(rows, rng=rng))
        table.append(("certify_rank(list of rows), 300 × 97,000", f"{t:.2f} s", f"rank {cert.rank}"))
    else:
        why = "building 29 M Python fmpq takes ~80 s; pass --big"
        table.append(("certify_rank(list of rows), 300 × 97,000", "skipped", why))

    S = _rows(rng, 100, 100)
    S = [[S[i][j] + S[j][i] for j in range(100)] for i in range(100)]
    c, t = _timed(lambda: inertia(S))
    table.append(("inertia, 100 × 100 dense symmetric", f"{t:.2f} s", str(c.signature)))
    _, t = _timed(lambda: c.check(S))
    table.append(("InertiaCertificate.check, 100 × 100", f"{t:.2f} s", ""))
    J = fmpq_mat(_rows(rng, 60, 100))
    G = (J.transpose() * J).tolist()
    c, t = _timed(lambda: inertia(G))
    table.append(("inertia, 100 × 100 Gram matrix of rank 60", f"{t:.2f} s", str(c.signature)))
    ic, t = _timed(lambda: inertia_charpoly(G))
    table.append(("inertia_charpoly, same matrix", f"{t:.2f} s", str(ic)))

    width = max(len(r[0]) for r in table)
    for name, secs, note in table:
        print(f"{name:<{width}}  {secs:>9}  {note}")


if __name__ == "__main__":
    main()
