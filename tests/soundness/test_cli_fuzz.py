"""A fuzzer for the ``symland`` command line: every input ends with a verdict or one line and exit 2, in time.

Hypothesis draws whole command lines — data files (CSV and JSON, odd numbers such as ``+1/2``, ``1e400``, integers
of thousands of digits, unicode digits, NaN, empty files, ragged rows, deeply nested JSON), point files, network
files, certificate files for ``recheck`` (genuine ones, mutated) and option values (widths, tiers, precisions,
timeouts, activation names and expressions) — and calls :func:`proofs_check.cli.main` in-process. The contract
checked on every run (:func:`_check_contract`):

* no exception escapes ``main``;
* exit 0 or 1 with something on stdout (a table, JSON, a construction), or exit 1 with one stderr line saying the
  command stopped (deadline, memory); or exit 2 with exactly one stderr line starting ``symland: error:``;
* the run ends within its ``--timeout`` plus a margin for printing.

``test_cli_fuzz_sample`` is a derandomized sample for CI (well under a minute); ``test_cli_fuzz_slow`` runs
:data:`SLOW_EXAMPLES` inputs (``pytest --runslow``). Both print how many inputs they ran.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from proofs_check.cli import main

SLOW_EXAMPLES = int(os.environ.get("SYMLAND_FUZZ_EXAMPLES", "10000"))
TIMEOUT = 2.0  # the --timeout of every fuzzed run
MARGIN = 15.0  # start-up, printing and a loaded machine
COUNT = {"runs": 0, "exit": {0: 0, 1: 0, 2: 0}}

def rarely(draw, n: int) -> bool:
    """True with probability about 1/n: a middle value (hypothesis favours the ends of a range)."""
    return draw(st.integers(0, n - 1)) == n // 2


# -- numbers, as text ---------------------------------------------------------------------------------------------

ODD_NUMBERS = ["+1/2", "-1/2", "1e400", "-1e-400", "1e999999", "1e1000001", "NaN", "nan", "inf", "-Infinity",
               "-0", ".5", "5.", "1/0", "0/0", "1/-2", "+-1", "١٢", "½", "①", " 1 ", "", " ", "0x10", "1_000",
               "1e", "e3", "--1", "1/3/5", "3/5.0", "1,5", "𝟙", "2*exp(-3)/7", "exp(1/2)", "((((1))))", "(" * 300 + "1",
               "-" * 2000 + "1", "1e-6", "0.000001", "7/3", "123456789/987654321"]


VALID_ODD = ["+1/2", "-1/2", "1e400", "-1e-400", "1e-6", ".5", "5.", "-0", "7/3", "+3", "2.5E+4",
             "123456789/987654321", "1e-2000", "-9" + "9" * 4400]


def huge_int(draw) -> str:
    digits = draw(st.sampled_from([4299, 4301, 5000, 12000]))
    return draw(st.sampled_from(["", "-", "+"])) + "9" * digits


@st.composite
def number(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return str(draw(st.integers(-5, 5)))
    if kind == 4:
        a, b = draw(st.integers(-20, 20)), draw(st.integers(1, 20))
        return f"{a}/{b}"
    if kind == 5:
        return huge_int(draw)
    if kind == 6:
        return draw(st.text(max_size=6))
    return draw(st.sampled_from(ODD_NUMBERS))


def as_json_value(draw, text: str):
    """A number for a JSON file: mostly a string, sometimes a bare JSON number or another JSON type."""
    mode = draw(st.integers(0, 9))
    if mode <= 6:
        return text
    if mode == 7:
        try:
            return json.loads(text) if text.strip() and text.strip()[0] in "-0123456789" else text
        except ValueError:
            return text
    return draw(st.sampled_from([None, True, [], {}, [text], 1e308, -0.0]))


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- data files ---------------------------------------------------------------------------------------------------

@st.composite
def data_file(draw) -> tuple[str, str, list[int]]:
    """(file name, content, default widths p,d,ℓ) of a CSV or JSON data set, mostly small and well formed."""
    p, ell = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    d = draw(st.integers(1, 4))
    clean = draw(st.integers(0, 4)) >= 2  # mostly values that parse, so that the claims run
    rows = [[(draw(st.sampled_from(VALID_ODD)) if clean else draw(number())) if rarely(draw, 5)
             else str(draw(st.integers(-3, 3))) for _ in range(p + ell)] for _ in range(d)]
    form = draw(st.integers(0, 9))
    if form <= 5:
        header = [f"x{j + 1}" for j in range(p)] + (["y"] if ell == 1 else [f"y{k + 1}" for k in range(ell)])
        if rarely(draw, 10):
            header = draw(st.sampled_from([["y", "x1"], ["x1"], ["a", "b"], ["x1", "x1", "y"], ["x１", "y"], []]))
        lines = [",".join(header)] + [",".join(r) for r in rows]
        if rarely(draw, 10) and len(lines) > 1:
            lines[-1] += ",1"  # a ragged row
        if rarely(draw, 20):
            lines = draw(st.sampled_from([[], [""], ["# only a comment"], ["x1;y", "1;2"], ['x1,y', '"1,2"']]))
        return "data.csv", "\n".join(lines) + "\n", [p, d, ell]
    if form <= 8:
        X = [[as_json_value(draw, v) for v in r[:p]] for r in rows]
        Y = [[as_json_value(draw, v) for v in r[p:]] for r in rows]
        if ell == 1 and draw(st.booleans()):
            Y = [y[0] for y in Y]
        obj = {"X": X, "Y": Y}
        if rarely(draw, 10):
            obj = draw(st.sampled_from([[], "X", {"X": X}, {"X": [], "Y": []}, {"X": X, "Y": Y[:-1]}]))
        return "data.json", json.dumps(obj), [p, d, ell]
    return "data.json", draw(st.sampled_from([deeply_nested(100_000), '{"X": ' + deeply_nested(5000) + "}",
                                              '{"X": [[NaN]], "Y": [1]}', '{"X": [[1]], "Y": [Infinity]}', "{",
                                              "\ufeff", "\x00\x01", '{"X": [[1]], "Y": [1]}' * 2])), [1, 1, 1]


# -- activations and options --------------------------------------------------------------------------------------

ACTIVATIONS = ["smoolu", "relu", "rectpow3", "rectpow2", "rectpow1", "rectpow0", "rectpow99", "rectpow100000",
               "softplus", "tanh", "sigmoid", "tanh_trunc", "sigmoid_trunc", "identity", "poly:0,0,1",
               "poly:+1/2,+1", "poly:", "poly:1e400", "relu_after1/2", "relu_after+1", "relu_after-1",
               "relu_after", "relu_afterx", "RELU", "nope", "", "poly:1," * 50 + "1"]

EXPRESSIONS = ["x", "x^2", "0 if x <= 0 else x^3", "0 if x <= 0 else x*exp(-1/x)", "sqrt((x-1)^2)",
               "(x-1)*sqrt((x-1)^2)", "0 if x <= 0 else x*exp(-1/x)*sigmoid(1/x)", "tanh(x)", "log(x)", "1/x",
               "exp(exp(exp(x)))", "x^21", "(x^20)^20", "__import__('os')", "x.real", "", "x if x > 0 else 0",
               "0 if x <= 0 else sqrt(x)", "+1/2*x", "sigmoid(x)-1/2", "(" * 40 + "x" + ")" * 40,
               "0 if x <= 0 else x^20*exp(-1/x^3)*tanh(x^5+x)^9*sigmoid(x^7-x)^8*log(1+x^4)^5", "x" * 600]


@st.composite
def expression(draw) -> str:
    """A custom σ from the grammar of ``--activation-expr``: a few atoms and operations, often split at 0."""
    def leaf():
        return draw(st.sampled_from(["x", "x", "1", "2", "1/2", "+1/2", "0.1", "(x-1)", "(x+1/3)"]))

    def grow(depth: int) -> str:
        if depth == 0 or draw(st.integers(0, 2)) == 0:
            return leaf()
        op = draw(st.sampled_from(["+", "-", "*", "/", "^", "f", "f"]))
        if op == "f":
            return f"{draw(st.sampled_from(['exp', 'log', 'tanh', 'sigmoid', 'sqrt']))}({grow(depth - 1)})"
        if op == "^":
            return f"({grow(depth - 1)})^{draw(st.integers(-3, 4))}"
        return f"({grow(depth - 1)}{op}{grow(depth - 1)})"

    body = grow(3)
    form = draw(st.integers(0, 3))
    if form == 0:
        return body
    if form == 1:
        return f"0 if x <= 0 else {body}"
    if form == 2:
        return f"{grow(2)} if x <= 0 else {body}"
    return draw(st.sampled_from(EXPRESSIONS))


def param_names(widths: list[int]) -> list[str]:
    names = []
    for k in range(1, len(widths)):
        names += [f"W{k}_{i}_{j}" for i in range(widths[k]) for j in range(widths[k - 1])]
        names += [f"b{k}_{i}" for i in range(widths[k])]
    return names


@st.composite
def point_file(draw, widths: list[int]) -> str:
    mode = draw(st.integers(0, 9))
    names = param_names(widths)
    if mode <= 6:
        obj = {n: as_json_value(draw, draw(number()) if rarely(draw, 4) else
                                str(draw(st.integers(-2, 2)))) for n in names}
        if mode == 6 and names:
            obj.pop(names[0])
        if mode == 5:
            obj["nope"] = "1"
        return json.dumps(obj)
    return draw(st.sampled_from([deeply_nested(100_000), "[]", "{", '{"W1_0_0": ' + deeply_nested(3000) + "}",
                                 "null", '"x"', "{}"]))


NETWORK = {"inputs": ["x1"], "activation": "rectpow3", "semantics": "standard",
           "nodes": [{"id": "h", "bias": "b"}, {"id": "o", "bias": "c", "output": True}],
           "edges": [{"from": "x1", "to": "h", "weight": "w"}, {"from": "h", "to": "o", "weight": "v"}]}


@st.composite
def network_file(draw) -> str:
    mode = draw(st.integers(0, 9))
    net = json.loads(json.dumps(NETWORK))
    if mode <= 5:
        net["activation"] = draw(st.sampled_from(ACTIVATIONS))
        net["semantics"] = draw(st.sampled_from(["standard", "literal", "other", 1]))
        if draw(st.booleans()):
            net["nodes"][1]["output"] = draw(st.sampled_from([True, False, 0, "true", None]))
        if rarely(draw, 4):
            net["edges"].append({"from": "o", "to": "h", "weight": "w"})  # a cycle
        if rarely(draw, 4):
            del net[draw(st.sampled_from(sorted(net)))]
        return json.dumps(net)
    return draw(st.sampled_from([deeply_nested(100_000), '{"inputs": ' + deeply_nested(3000) + "}", "[]", "{",
                                 json.dumps({**NETWORK, "nodes": "h"}), json.dumps({**NETWORK, "inputs": "x1"})]))


_GENUINE: list = []


def genuine_certificates() -> list:
    """A few genuine certificates (computed once), the seeds of the mutated certificate files."""
    if not _GENUINE:
        tmp = Path(tempfile.mkdtemp())
        try:
            (tmp / "d.csv").write_text("x1,y\n0,1\n1,-1\n3,2\n", encoding="utf-8")
            for act, tier in (("rectpow3", "exact"), ("smoolu", "symbolic"), ("smoolu", "ball")):
                out = io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                    main(["verify", "--data", str(tmp / "d.csv"), "--activation", act, "--tier", tier, "--json",
                          "--claim", "thm-2.1", "--claim", "prop-2.3", "--claim", "lem-3.3"])
                _GENUINE.extend(json.loads(out.getvalue()))
        finally:
            shutil.rmtree(tmp)
    return _GENUINE


def _mutate(draw, obj, depth=0):
    """Change one leaf or key of a JSON value: another type, an odd number, a huge integer, or drop it."""
    if isinstance(obj, dict) and obj and depth < 6:
        key = draw(st.sampled_from(sorted(obj)))
        out = dict(obj)
        if rarely(draw, 6):
            del out[key]
        else:
            out[key] = _mutate(draw, obj[key], depth + 1)
        return out
    if isinstance(obj, list) and obj and depth < 6:
        i = draw(st.integers(0, len(obj) - 1))
        out = list(obj)
        out[i] = _mutate(draw, obj[i], depth + 1)
        return out
    return draw(st.sampled_from([None, True, 0, -1, 2**70, "", "x", [], {}, "proved", "refuted", "thm-4.1",
                                 "1/0", "+1/2", "9" * 5000, int("9" * 400), 1.5, "exp(1/0)"]))


@st.composite
def certificate_file(draw) -> str:
    mode = draw(st.integers(0, 9))
    certs = genuine_certificates()
    if mode <= 7:
        picked = [certs[i] for i in draw(st.lists(st.integers(0, len(certs) - 1), min_size=1, max_size=3))]
        for _ in range(draw(st.integers(0 if mode == 0 else 1, 3))):
            j = draw(st.integers(0, len(picked) - 1))
            picked[j] = _mutate(draw, picked[j])
        return json.dumps(picked if len(picked) > 1 or draw(st.booleans()) else picked[0])
    return draw(st.sampled_from([deeply_nested(100_000), "[]", "{}", "{", "null", "[1, 2]", '"cert"']))


# -- whole command lines -----------------------------------------------------------------------------------------

WIDTHS = ["1,1,1", "1,2,1", "2,3,1", "1,3,2", "1,2,2,1", "1", "0,1", "1,-1,1", "a,b", "1,,1", "1,100000,1",
          "1,3000,3000,1", "٣,1,1"]


@st.composite
def command_line(draw, tmp: Path) -> list[str]:
    """A full argv for main(), writing the files it names into ``tmp``."""
    command = draw(st.sampled_from(["verify", "verify", "verify", "construct", "inspect", "recheck", "explain",
                                    "claims"]))
    argv = [command]
    if command == "recheck":
        (tmp / "cert.json").write_text(draw(certificate_file()), encoding="utf-8")
        argv += [str(tmp / "cert.json")] + draw(st.sampled_from([[], ["--strict"], ["--json"]]))
    elif command in ("verify", "construct", "inspect"):
        name, content, default_widths = draw(data_file())
        (tmp / name).write_text(content, encoding="utf-8")
        argv += ["--data", str(tmp / name)]
        sigma = draw(st.integers(0, 9))
        if sigma <= 2 or sigma == 9:
            argv += ["--activation-expr", draw(expression())]
        if sigma >= 3:
            argv += ["--activation", draw(st.sampled_from(ACTIVATIONS))]
        widths = ",".join(map(str, default_widths))
        if command != "construct" and rarely(draw, 6):
            (tmp / "net.json").write_text(draw(network_file()), encoding="utf-8")
            argv += ["--network", str(tmp / "net.json")]
        elif draw(st.booleans()):
            widths = draw(st.sampled_from(WIDTHS))
            argv += ["--widths", widths]
        if command == "inspect" or (command == "verify" and rarely(draw, 4)):
            try:
                sizes = [int(w) for w in widths.split(",")]
            except ValueError:
                sizes = [1, 1, 1]
            (tmp / "point.json").write_text(draw(point_file([max(1, min(s, 5)) for s in sizes])), encoding="utf-8")
            argv += ["--point", str(tmp / "point.json")]
        if command == "verify":
            if draw(st.booleans()):
                argv += ["--claim", draw(st.sampled_from(["thm-2.1", "prop-2.3", "lem-3.3", "cor-3.4", "thm-4.1",
                                                          "rem-4.2", "sec-5", "rem-2.2", "nope"]))]
            if draw(st.booleans()):
                argv += ["--tier", draw(st.sampled_from(["auto", "exact", "symbolic", "ball", "mp", "float",
                                                         "fast"]))]
            if rarely(draw, 5):
                argv += [draw(st.sampled_from(["--prec", "--max-prec", "--dps", "--time-budget"])),
                         draw(st.sampled_from(["8", "64", "7", "1048577", "0", "-1", "nan", "1e9", "x", "0.5"]))]
            if rarely(draw, 10):
                argv += ["--plot", str(tmp / draw(st.sampled_from(["figs", "data.csv", "data.csv/sub"])))]
        if command == "construct" and rarely(draw, 4):
            argv += ["--hidden", draw(st.sampled_from(["1", "5", "0", "-2", "x", "100000"]))]
        if rarely(draw, 4):
            argv.append("--json")
    elif command == "explain" and draw(st.booleans()):
        argv.append("--json")
    if rarely(draw, 15):
        argv += ["--timeout", draw(st.sampled_from(["0", "-1", "nan", "inf", "x", "1e-9"]))]
    else:
        argv += ["--timeout", str(TIMEOUT)]
    if command == "verify":
        argv.append("--quiet")
    return argv


def _check_contract(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    elapsed = time.monotonic() - start
    COUNT["runs"] += 1
    COUNT["exit"][code] = COUNT["exit"].get(code, 0) + 1
    stdout, stderr = out.getvalue(), err.getvalue()
    assert "Traceback" not in stderr, (argv, stderr)
    assert code in (0, 1, 2), (argv, code, stderr)
    if code == 2:
        assert stderr.count("\n") == 1 and stderr.startswith("symland: error: "), (argv, stderr)
    elif stderr:
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("symland: "), (argv, stderr)
        assert stdout or "stopped" in stderr, (argv, stderr)
    else:
        assert stdout.strip(), (argv, "no output")
    assert elapsed < TIMEOUT + MARGIN, (argv, f"{elapsed:.1f} s")


def _run(data) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="symland-fuzz-"))
    try:
        argv = data.draw(command_line(tmp))
        _check_contract(argv)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


COMMON = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))
# A --timeout may expire inside hypothesis's own gc callback, which reports it as "unraisable"; the deadline
# raises again a second later, so the run still ends (the contract above checks it). Not a symland error.
_UNRAISABLE = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@_UNRAISABLE
@settings(max_examples=60, derandomize=True, **COMMON)
@given(st.data())
def test_cli_fuzz_sample(data):
    _run(data)


@pytest.mark.slow
@_UNRAISABLE
@settings(max_examples=SLOW_EXAMPLES, **COMMON)
@given(st.data())
def test_cli_fuzz_slow(data):
    _run(data)


def teardown_module(module):
    print(f"\nCLI fuzzer: {COUNT['runs']} command lines run; exit codes {COUNT['exit']}")
