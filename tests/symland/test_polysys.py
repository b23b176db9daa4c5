"""The polynomial systems of the global claims (symland/algebra/polysys.py), the linear eliminations before msolve
(eliminate.py) and the msolve runner's process handling (msolve.py): H built in flint equals the kernel's sympy H
term for term; a chart is built once; eliminations keep the solutions; a deadline or an exception kills msolve.

Tests that run msolve are marked ``msolve`` (run them with /work/venv-routes)."""

import os
import signal
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from flint import fmpq, fmpq_mpoly_ctx

from symland.algebra import msolve
from symland.algebra.eliminate import lift_box, lift_point, reduce_linear
from symland.algebra.polysys import Poly, PolySystem, polynomial_residuals, singular_charts, size_of
from symland.data import Dataset
from symland.networks.network import mlp

from proofs_check.recheck.global_claims import charts as kernel_charts, residuals as kernel_residuals

needs_msolve = [pytest.mark.msolve,
                pytest.mark.skipif(msolve.find_msolve() is None, reason="msolve not installed")]


def _instance(widths, act, X, Y, bias=True):
    return {"widths": list(widths), "activation": act, "bias": bias, "X": [[str(v) for v in r] for r in X],
            "Y": [[str(v)] for v in Y]}


@pytest.mark.parametrize("widths, act, bias", [((1, 1, 1), "square", True), ((2, 3, 1), "poly:1/2,0,-3,1", True),
                                               ((2, 2, 2, 1), "square", False), ((1, 2, 1), "identity", True)])
def test_flint_H_and_charts_equal_the_kernels_sympy_expansion(widths, act, bias):
    X = [[1, 2][:widths[0]], [Fraction(-1, 3), 2][:widths[0]], [0, 5][:widths[0]]]
    Y = [1, Fraction(2, 7), -3]
    net = mlp(widths, act, bias=bias)
    sys = polynomial_residuals(net, Dataset.from_rows(X, Y))
    names, H = kernel_residuals(_instance(widths, act, X, Y, bias))
    assert sys.names == names and sys.m == 3
    assert [sp.expand(h.as_expr() - k) for h, k in zip(sys.H, H)] == [0, 0, 0]
    for chart, (k, variables, eqs) in zip(singular_charts(sys), kernel_charts(names, H)):
        assert chart.k == k and chart.variables == variables
        assert [sp.expand(e.as_expr() - f) for e, f in zip(chart.equations, eqs)] == [0] * len(eqs)
    assert sys.chart(2) is singular_charts(sys)[1]  # built once per system


def test_a_poly_is_flint_until_asked_for_sympy():
    sys = polynomial_residuals(mlp((1, 1, 1), "square"), Dataset.from_rows([[1], [2]], [1, 2]))
    h = sys.H[0]
    assert isinstance(h, Poly) and h._sympy is None
    assert h != 0 and not h.is_ground and len(h) == 5 and h.msolve_text().endswith("-b2_0-1")
    assert size_of(["a"], [h])["max_degree"] == 3 and h._sympy is None  # still no sympy object
    W, = sys.gens(["W1_0_0"])
    assert str(h.diff(W)) == "2*W1_0_0*W2_0_0 - 2*b1_0*W2_0_0"
    assert str(h - h) == "0" and (2 * h).LC == 2 and h._sympy is not None


def test_a_system_given_in_sympy_is_held_in_flint_with_the_same_ring():
    from sympy.polys.rings import ring

    R, x, y = ring("x,y", sp.QQ)
    sys = PolySystem(["x", "y"], [(x**2 + 1) * (1 + y)], 2, 1, R)
    assert sys.ring is R and sys.H[0].sympy is not None and str(sys.H[0].flint) == "x^2*y + x^2 + y + 1"
    assert [len(c.equations) for c in singular_charts(sys)] == [3]


def test_a_deadline_passed_while_building_gives_a_timeout_never_an_answer():
    sys = polynomial_residuals(mlp((2, 3, 3, 1), "square"), Dataset.from_rows([[1, 0], [0, 1]], [1, 2]))
    late = sys.chart(1, deadline=time.perf_counter() - 1)
    assert [type(e).__name__ for e in late.equations] == ["Expired"] and late.variables[-1] == "lam_2"
    assert msolve.solve(late.variables, late.equations).status == "timeout"  # msolve is not even looked for
    assert 1 not in sys._charts and len(sys.chart(1).equations) > 1  # not cached: built in full when asked again
    ctx = sys.space.ctx
    with pytest.raises(TimeoutError):
        reduce_linear(["b3_0"], [e.flint for e in sys.H], ctx, deadline=time.perf_counter() - 1)
    with pytest.raises(TimeoutError):
        msolve._input_text(["x"], [sys.H[0]], deadline=time.perf_counter() - 1)
    assert msolve._run(sys.names, sys.H, [], timeout=-1)[0] is None


def test_linear_eliminations_keep_the_solutions():
    ctx = fmpq_mpoly_ctx.get(("x", "y", "z", "u"), "degrevlex")
    x, y, z, u = ctx.gens()
    # the shortest equation first: y = xz, then u = 2 − x; left: 3y − x² − 1 + u → 3xz − x² − x + 1, and x² − 2
    red = reduce_linear(["x", "y", "z", "u"], [x + u - 2, 3 * y - x**2 - 1 + u, z * x - y, x**2 - 2], ctx)
    assert not red.contradiction and [(v, str(q)) for v, q in red.eliminated] == [("y", "x*z"), ("u", "-x + 2")]
    assert red.variables == ["x", "z"] and [str(e) for e in red.equations] == ["-x^2 + 3*x*z - x + 1", "x^2 - 2"]
    # a box of (x, z) lifts to boxes holding y = xz and u = 2 − x (interval arithmetic, exact endpoints)
    r2, zb = (Fraction(14142, 10000), Fraction(14143, 10000)), (Fraction(-1, 2), Fraction(1))
    box = lift_box(red, ["x", "y", "z", "u"], [r2, zb])
    assert box == (r2, (Fraction(-14143, 20000), Fraction(14143, 10000)), zb, (2 - r2[1], 2 - r2[0]))
    assert lift_point(red, {"x": Fraction(1), "z": Fraction(3)}) == {"x": 1, "z": 3, "u": 1, "y": 3}
    # x − 1 = 0 and x − 2 = 0: eliminating x leaves 0 = −1
    assert reduce_linear(["x"], [x - 1, x - 2], ctx).contradiction
    # x appears squared elsewhere and its value is long: not substituted
    long = sum((ctx.gen(1) ** k for k in range(1, 40)), ctx.constant(0))
    assert reduce_linear(["x", "y"], [x - long, x**2 - 3], ctx).eliminated == []
    short = reduce_linear(["y", "x"], [x - y - 1, x**2 - 3], ctx)  # the last unknown of the order, x = y + 1
    assert [v for v, _ in short.eliminated] == ["x"] and [str(e) for e in short.equations] == ["y^2 + 2*y - 2"]


class TestWithMsolve:
    pytestmark = needs_msolve

    def test_solve_eliminates_and_lifts_exact_and_interval_answers(self):
        X, Y, Z = sp.symbols("x y z")
        one = msolve.solve(["x", "y"], [X - 1, Y - X - 1])  # everything eliminated: no msolve run
        assert one.status == "finite" and one.real == (((1, 1), (2, 2)),)
        assert msolve.solve(["x", "y"], [X - 1, X - 2 + 0 * Y]).status == "empty"
        assert msolve.solve(["x", "y", "z"], [X + Y - Z]).status == "positive"
        two = msolve.solve(["x", "y"], [Y - X**2 - 1, X**2 - 2])  # y eliminated, x = ±√2 by msolve, y = 3
        assert two.status == "finite" and len(two.real) == 2
        for bx, by in two.real:
            assert bx[0] ** 2 <= 2 <= bx[1] ** 2 or bx[1] ** 2 <= 2 <= bx[0] ** 2
            assert by[0] <= 3 <= by[1] and by[1] - by[0] < Fraction(1, 10**6)
        assert msolve.solve(["x", "y"], [X**2 + 1 + 0 * Y, Y - X]).real == ()

    def _hard_chart(self):
        X = [[1, 0], [0, 1], [1, 1], [2, 1]]
        sys = polynomial_residuals(mlp((2, 4, 4, 1), "square"), Dataset.from_rows(X, [1, 3, 2, 5]))
        return sys.chart(1)  # msolve needs several seconds even after the eliminations

    def _spawned(self, monkeypatch):
        procs = []
        real = msolve.subprocess.Popen

        def spy(*a, **k):
            procs.append(real(*a, **k))
            return procs[-1]

        monkeypatch.setattr(msolve.subprocess, "Popen", spy)
        return procs

    @staticmethod
    def _gone(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        with open(f"/proc/{pid}/stat") as f:  # still listed: at most a zombie would do, and we reaped it
            return f.read().split()[2] == "Z"

    def test_the_deadline_kills_msolve(self, monkeypatch):
        chart, procs = self._hard_chart(), self._spawned(monkeypatch)
        start = time.perf_counter()
        res = msolve.solve(chart.variables, chart.equations, timeout=0.5)
        assert res.status == "timeout" and time.perf_counter() - start < 3
        assert len(procs) == 1 and procs[0].returncode == -signal.SIGKILL and self._gone(procs[0].pid)

    def test_an_exception_in_the_caller_kills_msolve(self, monkeypatch):
        chart, procs = self._hard_chart(), self._spawned(monkeypatch)

        def alarm(signum, frame):
            raise KeyboardInterrupt

        old = signal.signal(signal.SIGALRM, alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            with pytest.raises(KeyboardInterrupt):
                msolve.solve(chart.variables, chart.equations, timeout=60)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        assert len(procs) == 1 and procs[0].returncode == -signal.SIGKILL and self._gone(procs[0].pid)

    def test_a_sweeps_thread_deadline_kills_msolve(self, monkeypatch):
        import threading

        from proofs_check.sweep._worker import thread_deadline

        chart, procs, out = self._hard_chart(), self._spawned(monkeypatch), {}

        def task():
            start = time.perf_counter()
            with thread_deadline(0.5) as dl:
                msolve.solve(chart.variables, chart.equations, timeout=60)
            out.update(expired=dl.expired, seconds=time.perf_counter() - start)

        t = threading.Thread(target=task)
        t.start()
        t.join(30)
        assert out["expired"] and out["seconds"] < 3  # seen within a slice, not at msolve's own 60 s
        assert len(procs) == 1 and procs[0].returncode == -signal.SIGKILL and self._gone(procs[0].pid)

    def test_msolve_dies_with_a_killed_parent(self, tmp_path):
        import subprocess
        import sys

        psutil = pytest.importorskip("psutil")
        script = tmp_path / "run.py"
        script.write_text("import sys; sys.path[:0] = " + repr(sys.path) + "\n"
                          "from tests.symland.test_polysys import TestWithMsolve\n"
                          "from symland.algebra import msolve\n"
                          "c = TestWithMsolve()._hard_chart()\n"
                          "msolve.solve(c.variables, c.equations, timeout=60)\n")
        parent = subprocess.Popen([sys.executable, str(script)], cwd=str(Path(__file__).parents[2]))
        try:
            for _ in range(200):
                kids = psutil.Process(parent.pid).children(recursive=True)
                if kids and kids[0].name() == "msolve":  # (setpriv execs msolve in place: same process)
                    break
                time.sleep(0.05)
            assert [k.name() for k in kids] == ["msolve"]
        finally:
            parent.kill()
            parent.wait()
        kid = kids[0]
        for _ in range(40):
            if not kid.is_running() or kid.status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.05)
        assert not kid.is_running() or kid.status() == psutil.STATUS_ZOMBIE

    def test_engine_seconds_count_msolve_runs(self):
        X = sp.Symbol("x")
        before = msolve.engine_seconds()
        msolve.solve(["x"], [X**3 - 2])
        after = msolve.engine_seconds()
        assert after[1] == before[1] + 1 and after[0] > before[0]


def test_fmpq_sanity_of_the_lift():  # lift_point evaluates with flint: exact rationals, not floats
    ctx = fmpq_mpoly_ctx.get(("a", "b"), "degrevlex")
    a, b = ctx.gens()
    red = reduce_linear(["a", "b"], [3 * a - b * b - 1], ctx)
    assert lift_point(red, {"b": Fraction(1, 2)}) == {"b": Fraction(1, 2), "a": Fraction(5, 12)}
    assert isinstance(fmpq(1, 3), fmpq)
