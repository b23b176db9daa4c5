"""Networks and their maps: layered (:mod:`.network`) and DAG (:mod:`.dag`) networks, the maps H, J_H, L, Hess L
(:mod:`.problem`), second-order jets (:mod:`.jets`), and the float (:mod:`.floating`, :mod:`.gram`) and mod-p
(:mod:`.modp`) passes.
"""
