"""The point analysis: the landscape at a point m, computed once, as one frozen value.

:func:`analyse` returns a :class:`PointAnalysis` — membership m ∈ M with the residual, rank J_H(m) as a
:class:`RankBound`, the inertia of the full Hess L in Sylvester's order (n₊, n₋, n₀), the spectrum when asked, the
smoothness class near m and the kinks hit, and the tier of each part — for a point given, constructed (Lemma 3.3 /
Corollary 3.4, at any scale) or re-solved next to a model (:class:`PointSpec`). :mod:`.routes` is the route table.
"""

from symland.point.routes import TIERS, analyse
from symland.point.value import PointAnalysis, PointSpec, RankBound

__all__ = ["analyse", "PointAnalysis", "PointSpec", "RankBound", "TIERS"]
