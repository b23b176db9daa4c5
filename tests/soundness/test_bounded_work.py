"""Safe input and bounded work on the command line: --activation-expr, --timeout, the size estimate."""

import pytest

from symland.budget import DeadlineExpired, check_size, deadline, estimate_exact, run_until
from symland.errors import InputError, SymlandError, TooLargeError

from proofs_check.cli import main


@pytest.fixture()
def data(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x1,y\n0,1\n1,-1\n3,2\n", encoding="utf-8")
    return str(path)


def test_activation_expr_is_proved_like_the_builtin(data, capsys):
    assert main(["verify", "--data", data, "--activation-expr", "0 if x <= 0 else x^3", "--claim", "thm-2.1"]) == 0
    assert "proved" in capsys.readouterr().out


def test_malicious_activation_expr_is_one_line_exit_2_and_runs_nothing(data, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["verify", "--data", data, "--activation-expr", "__import__('os').system('touch PWNED')"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "names starting with '_'" in err
    assert not (tmp_path / "PWNED").exists()
    assert main(["verify", "--data", data, "--activation", "relu", "--activation-expr", "x"]) == 2


def test_a_timeout_turns_unfinished_checks_into_inconclusive(data, capsys, monkeypatch):
    import time

    import proofs_check.cli

    monkeypatch.setattr(proofs_check.cli, "run", lambda *a, **k: time.sleep(60))  # every check would hang
    code = main(["verify", "--data", data, "--activation", "rectpow3", "--timeout", "1"])
    out = capsys.readouterr().out
    assert code == 1 and "8 inconclusive" in out.splitlines()[-1] and "Traceback" not in out


def test_a_timeout_that_passes_while_reading_the_input_is_one_line_and_exit_1(data, capsys, monkeypatch):
    import time

    import proofs_check.cli

    monkeypatch.setattr(proofs_check.cli, "load_dataset", lambda path: time.sleep(60))  # a data file that hangs
    code = main(["verify", "--data", data, "--activation", "rectpow3", "--timeout", "0.5"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err == "symland: verify: stopped, not finished within the --timeout of 0.5 s\n"


def test_run_until_stops_a_running_task_and_substitutes_the_rest():
    def spin():
        while True:
            pass

    results, expired = run_until([("a", lambda: 1), ("b", spin), ("c", lambda: 3)], 0.2,
                                 lambda key, why: f"{key}: {why.split(':')[0]}")
    assert expired and results == [1, "b: stopped", "c: not started"]
    assert issubclass(DeadlineExpired, BaseException) and not issubclass(DeadlineExpired, Exception)


def test_an_instance_too_large_for_exact_arithmetic_is_refused_naming_the_estimate(tmp_path, capsys):
    # two outputs: no at-scale route, the dense exact J_H (4000 × 9·10⁶) cannot fit in memory
    path = tmp_path / "big.csv"
    path.write_text("x1,y1,y2\n" + "".join(f"{i},{i % 3},1\n" for i in range(2000)), encoding="utf-8")
    assert main(["verify", "--data", str(path), "--widths", "1,3000,3000,2", "--activation", "rectpow3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n = 9015002 parameters, dℓ = 4000 residuals" in err
    assert "predicted peak memory" in err and "--tier ball or --tier float" in err


def test_a_million_parameters_at_the_constructed_point_are_accepted_by_the_size_guard():
    from symland.budget import estimate_for
    from symland.data import Dataset
    from symland.network import mlp

    data = Dataset.from_rows([[i] for i in range(2000)], [[i % 3] for i in range(2000)])
    est = estimate_for(mlp((1, 3000, 3000, 1), "rectpow3"), data)  # the at-scale route: no J_H is built
    assert est.route == "constructed" and est.memory < 4 * 2**30
    check_size(est)


def test_the_estimate_refuses_only_beyond_the_limit():
    check_size(estimate_exact([10, 100, 100, 1], 100, data_bits=12, degree=3))  # the benchmark case: accepted
    with pytest.raises(TooLargeError, match="bit operations"):
        check_size(estimate_exact([10, 100, 100, 1], 100, data_bits=12, degree=3), max_bit_ops=10**6)
    assert issubclass(TooLargeError, SymlandError) and not issubclass(TooLargeError, InputError)


def test_a_deadline_leaves_no_timer_or_handler_behind_even_when_it_expires_during_cleanup():
    import signal
    import time

    from symland import budget

    before = signal.getsignal(signal.SIGALRM)
    for i in range(400):  # expiries landing anywhere, including on the first instruction of the block's exit
        try:
            with deadline(0.0005):
                with deadline(0.0002 + (i % 7) * 1e-4):
                    if i % 2:
                        time.sleep(0.0004)
                    else:
                        [list(range(50)) for _ in range(30)]  # busy, allocating (gc callbacks run)
        except DeadlineExpired:
            pass
    assert budget._ACTIVE == [] and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_a_swallowed_expiry_is_raised_again():
    import time

    with pytest.raises(DeadlineExpired):
        with deadline(0.05):
            try:
                time.sleep(0.5)
            except DeadlineExpired:
                pass  # swallowed, as a __del__ or a gc callback would
            time.sleep(3)


def test_an_alarm_landing_in_a_deadlines_exit_is_left_to_the_exit():
    import signal
    from types import SimpleNamespace

    from symland import budget

    spin_code = test_run_until_stops_a_running_task_and_substitutes_the_rest.__code__
    with deadline(60):  # the handler, as if the alarm came on the first instruction of __exit__ or _leave
        for code in (budget.deadline.__exit__.__code__, budget._leave.__code__):
            assert budget._raise(signal.SIGALRM, SimpleNamespace(f_code=code)) is None
        with pytest.raises(DeadlineExpired):
            budget._raise(signal.SIGALRM, SimpleNamespace(f_code=spin_code))
    assert budget._ACTIVE == [] and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
