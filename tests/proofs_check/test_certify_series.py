"""``symland certify`` along training: checkpoints written by ``symland train`` (numpy .npz), one row each."""

from __future__ import annotations

import json

from proofs_check.commands.certify_series import checkpoints
from proofs_check.commands.cli import main

DATA = "x1,x2,y\n" + "\n".join(f"{a},{b},{c}" for a, b, c in [
    ("-0.5", "0.25", "0.75"), ("0.5", "-0.75", "-0.25"), ("1", "0.5", "1.5"), ("-1", "-1", "0"), ("0.25", "1", "1"),
    ("0", "0", "0.5"), ("0.75", "0.75", "-0.5"), ("-0.25", "-0.5", "0.25")])


def _series(tmp_path, steps=(0, 3, 12)):
    data = tmp_path / "d.csv"
    data.write_text(DATA + "\n")
    ck = tmp_path / "ck"
    ck.mkdir()
    for s in steps:
        assert main(["train", "--data", str(data), "--widths", "2,5,1", "--out", str(ck / f"ckpt_{s}.npz"),
                     "--steps", str(s), "--seed", "2", "--tol", "1e-40", "--quiet"]) in (0, 1)
    return str(data), ck


def test_checkpoints_are_ordered_by_the_number_in_the_name(tmp_path):
    for name in ("ckpt_10.npz", "ckpt_9.npz", "ckpt_100.npz", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.rsplit("/", 1)[1] for p in checkpoints([str(tmp_path)])] == ["ckpt_9.npz", "ckpt_10.npz",
                                                                           "ckpt_100.npz"]


def test_a_series_gives_one_row_per_checkpoint_with_the_bracket_rank_and_inertia(tmp_path, capsys):
    data, ck = _series(tmp_path)
    capsys.readouterr()
    code = main(["certify", "--model", str(ck), "--data", data, "--json", "--plot", str(tmp_path / "figs")])
    out = capsys.readouterr().out.strip().splitlines()
    rows = [json.loads(line) for line in out]
    assert [r["step"] for r in rows] == [0, 3, 12]
    first, last = rows[0], rows[-1]
    assert first["verdicts"] == {"thm-2.1": "inconclusive", "prop-2.3": "inconclusive"} and first["rank"] is None
    assert last["verdicts"] == {"thm-2.1": "certified", "prop-2.3": "certified"}
    assert last["rank"] == 8 and last["inertia"] == [8, 0, 13]  # n = 21, d = 8: (d, 0, n − d)
    lo0, lo2 = first["distance_l2"]["lower"], last["distance_l2"]["upper"]
    assert lo0 > 1e3 * lo2  # training moved the model toward M: the certified bracket says by how much
    for r in rows:
        b = r["distance_l2"]
        assert b["lower"] is None or b["upper"] is None or b["lower"] <= b["upper"]
    assert code == 1  # the untrained checkpoint is not on M: not every verdict is positive
    assert (tmp_path / "figs" / "series.png").stat().st_size > 1000


def test_a_series_table_names_the_first_checkpoint_on_M(tmp_path, capsys):
    data, ck = _series(tmp_path, steps=(0, 12))
    capsys.readouterr()
    main(["certify", "--model", str(ck / "ckpt_0.npz"), str(ck / "ckpt_12.npz"), "--data", data])
    out = capsys.readouterr().out
    assert "dist₂ lower" in out and "first checkpoint with a certified point of M within --max-distance: step 12" in out


def test_an_empty_directory_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "d.csv").write_text(DATA + "\n")
    (tmp_path / "empty").mkdir()
    assert main(["certify", "--model", str(tmp_path / "empty"), "--data", str(tmp_path / "d.csv")]) == 2
    assert "a directory without model files" in capsys.readouterr().err


def _wide(tmp_path, d=5000):
    """A model with d hidden units on d data points: d² = 25·10⁶ hidden values, files of a few hundred kB."""
    import numpy as np

    rng = np.random.default_rng(0)
    np.savez(tmp_path / "wide.npz", W1=rng.normal(size=(d, 1)), b1=rng.normal(size=d), W2=rng.normal(size=(1, d)),
             b2=np.zeros(1), activation=np.array("tanh"))
    (tmp_path / "wide.csv").write_text("x1,y1\n" + "".join(f"{i},{i % 7}\n" for i in range(d)))
    return str(tmp_path / "wide.npz"), str(tmp_path / "wide.csv")


def test_certify_refuses_in_one_line_what_would_not_fit_and_says_what_to_run(tmp_path, capsys):
    model, data = _wide(tmp_path)
    for argv in (["certify", "--model", model, "--data", data],
                 ["certify", "--model", model, model, "--data", data]):  # a series: refused before any checkpoint
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "certify too large" in err[0] and "GiB > limit 6 GiB" in err[0], err
        assert "25,000,000 hidden values" in err[0] and "symland inspect --tier float" in err[0]


def test_the_certify_estimate_follows_its_calibration():
    from symland.io.data import Dataset
    from symland.networks.network import mlp
    from symland.tiers.cost import certify_estimate

    data = Dataset.from_rows([[i] for i in range(1000)], [[0]] * 1000)
    est = certify_estimate(mlp((1, 1000, 1), "tanh"), data)  # bench_trained at d = 1000: 17.0 s CPU, 540 MiB
    assert 12 < est.seconds < 25 and 400 * 2**20 < est.memory < 800 * 2**20 and est.entries == 10**6
