"""Shared test setup: a headless matplotlib backend and the ``--runslow`` switch."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


def _trained_two_layer(act="tanh", d=6, p=2, h=8, seed=0, fit=True, zero_unit=False):
    """A framework-convention net [(W (out, in), b)] p → h → 1 on random data, output layer fitted by float least
    squares (``fit``) or random; ``zero_unit``: hidden unit 0 has pre-activation exactly 0 at every x.

    Returns (layers, Dataset, (X, Y)).
    """
    import numpy as np

    from symland.data import Dataset

    rng = np.random.default_rng(seed)
    X = rng.integers(-5, 6, size=(d, p)) / 4
    Y = rng.integers(-4, 5, size=d) / 2
    W1, b1 = rng.normal(size=(h, p)), rng.normal(size=h)
    if zero_unit:  # a hidden unit whose pre-activation is exactly 0 at every x (relu' undefined there)
        W1[0], b1[0] = 0.0, 0.0
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))
    A = f(X @ W1.T + b1)
    if fit:
        sol, *_ = np.linalg.lstsq(np.hstack([A, np.ones((d, 1))]), Y, rcond=None)
        W2, b2 = sol[:h][None, :], sol[h:]
    else:
        W2, b2 = rng.normal(size=(1, h)), rng.normal(size=1)
    return [(W1, b1), (W2, b2)], Dataset.from_rows(X.tolist(), Y.tolist()), (X, Y)


@pytest.fixture
def trained():
    """The builder of a small trained-looking two-layer net (:func:`_trained_two_layer`)."""
    return _trained_two_layer
