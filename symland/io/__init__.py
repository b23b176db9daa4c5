"""Input and output: data sets and exact files (:mod:`.data`), trained models from other frameworks (:mod:`.models`,
:mod:`._torch`, :mod:`._layers`).
"""
