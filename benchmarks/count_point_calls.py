"""Counts for issue 19: calls into Context for one prop-2.3 run (exact tier), Problem.at per claim run,
verified solves per certify. Run: PYTHONPATH=. python benchmarks/count_point_calls.py"""
import collections
import functools

import numpy as np

import symland.ballsolve as B
import symland.nearest as N
import symland.problem as P

import proofs_check.instance as I
from proofs_check.claims import run
from proofs_check.instances import default_instances as builtin

counts = collections.Counter()


def wrap(owner, name, label):
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def inner(*a, **k):
        counts[label] += 1
        return fn(*a, **k)

    setattr(owner, name, inner)


for meth in [m for m, v in vars(I.Context).items() if callable(v) and not m.startswith("__")]:
    wrap(I.Context, meth, "Context." + meth)
wrap(P.Problem, "at", "Problem.at")
wrap(B, "verified_solve", "verified_solve")
N.verified_solve = B.verified_solve
wrap(N, "solve_ball", "nearest.solve_ball (incl. cache hits)")
wrap(N, "_solve_exact", "nearest._solve_exact")

from dataclasses import replace  # noqa: E402

inst = replace(next(i for i in builtin() if i.name == "rectpow3-p2-d5"), tier="exact")
c = run([inst], ["prop-2.3"], ctx=I.Context())
print([x.verdict for x in c], "prop-2.3 exact rectpow3-p2-d5:", dict(counts),
      "Context total", sum(v for k, v in counts.items() if k.startswith("Context")))
counts.clear()
run([inst], ["thm-2.1", "prop-2.3"], ctx=I.Context())
print("thm-2.1 + prop-2.3 exact:", dict(counts))
counts.clear()

from symland import Dataset, mlp  # noqa: E402
from symland.models import from_arrays  # noqa: E402

from proofs_check.certify_model import certify_model  # noqa: E402

rng = np.random.default_rng(0)
data = Dataset.from_rows([[0], [1], [2]], [1, 0, 2])
net = mlp((1, 4, 1), "rectpow3")
for tier in ("ball", "exact"):
    model = from_arrays([(rng.normal(size=(4, 1)), rng.normal(size=4)), (rng.normal(size=(1, 4)), rng.normal(size=1))],
                        "rectpow3")
    counts.clear()
    N._CACHE.clear()
    rep = certify_model(model, data, tier=tier, max_distance=1e9)
    print(f"certify ({tier}):", [c.verdict for c in rep.certificates], dict(counts))

# a full default run (every claim) on one instance: constructions and forward passes
import symland.landscape as L  # noqa: E402

wrap(L, "interpolate", "interpolate")
I.interpolate = L.interpolate
for name, tier in (("rectpow3-p2-d5", "exact"), ("smoolu-p1-d3", "symbolic")):
    inst = replace(next(i for i in builtin() if i.name == name), tier=tier)
    counts.clear()
    certs = run([inst], None, ctx=I.Context())
    print(f"every claim on {name} ({tier}):", [c.verdict for c in certs],
          {k: v for k, v in counts.items() if not k.startswith("Context")})
