"""Linear algebra with witnesses: exact rank, kernel and inertia over Q (:mod:`.linalg`), ranks mod p
(:mod:`.sparse`, :mod:`.rank`), certified ranks and solves of Arb balls (:mod:`.certify`, :mod:`.ballsolve`), and rank
and inertia over every tier (:mod:`.spectrum`).
"""
