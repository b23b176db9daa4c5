"""Points on M by construction: the interpolating networks of Lemma 3.3 and Corollary 3.4 (:mod:`.landscape`) and
their membership and rank at scale (:mod:`.atscale`).
"""
