"""Exact parsing of numbers and the CSV/JSON data readers (the data sets S of Lemma 3.3)."""

import json
from fractions import Fraction

import pytest
import sympy
from flint import fmpq, fmpz

from symland.data import Dataset, load_dataset, parse_exact, read_csv, read_json
from symland.errors import DuplicateInputError, InputError, ParseError, ShapeError

# --- parse_exact -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("-3", fmpq(-3)),
    ("0", fmpq(0)),
    ("+3", fmpq(3)),
    ("007", fmpq(7)),
    ("0.1", fmpq(1, 10)),
    ("-0.25", fmpq(-1, 4)),
    (".5", fmpq(1, 2)),
    ("1.", fmpq(1)),
    ("1e-3", fmpq(1, 1000)),
    ("2.5E+4", fmpq(25000)),
    ("-1.5e2", fmpq(-150)),
    ("1/3", fmpq(1, 3)),
    ("-7/2", fmpq(-7, 2)),
    ("6/4", fmpq(3, 2)),
    ("  1/3\t", fmpq(1, 3)),
    (" 0.1\n", fmpq(1, 10)),
])
def test_strings_are_parsed_to_the_exact_rational_they_denote(text, expected):
    assert parse_exact(text) == expected


def test_huge_and_tiny_exponents_are_exact():
    assert parse_exact("1e300") == fmpq(fmpz(10) ** 300)
    assert parse_exact("1e-300") == fmpq(1, fmpz(10) ** 300)
    assert parse_exact("3e1000000") == fmpq(3 * fmpz(10) ** 1000000)


@pytest.mark.parametrize("value, expected", [
    (5, fmpq(5)),
    (fmpq(2, 3), fmpq(2, 3)),
    (fmpz(-4), fmpq(-4)),
    (Fraction(-5, 6), fmpq(-5, 6)),
    (sympy.Rational(7, 9), fmpq(7, 9)),
    (sympy.Integer(12), fmpq(12)),
    (0.5, fmpq(1, 2)),
    (0.1, fmpq(3602879701896397, 36028797018963968)),
])
def test_numbers_are_converted_exactly_and_floats_keep_their_binary_value(value, expected):
    assert parse_exact(value) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "nan", "NaN", "inf", "-inf", "Infinity", "1/0", "abc", "1 /3", "--1", "1e", "e5", "0x10", "1,5",
    "7/-2", "1e1000001", "1e-99999999", "\u0663", "1_000",
    float("nan"), float("inf"), float("-inf"), True, None, sympy.pi, [1],
])
def test_non_numeric_non_finite_or_unbounded_values_are_rejected(value):
    with pytest.raises(ParseError):
        parse_exact(value)


def test_a_parse_error_names_where_the_value_comes_from_and_the_value():
    with pytest.raises(ParseError, match=r"^points\.csv row 3 column x2: 'abc' is not a finite number"):
        parse_exact("abc", where="points.csv row 3 column x2")


def test_an_exponent_beyond_a_million_is_refused_with_a_reason():
    with pytest.raises(ParseError, match="exponent"):
        parse_exact("1e-1000001")


# --- Dataset -----------------------------------------------------------------------------------------------------


def test_from_rows_converts_values_and_reports_the_shape():
    ds = Dataset.from_rows([[0, "1/2"], ["0.1", 1]], ["1e-3", 2])
    assert ds.X == ((fmpq(0), fmpq(1, 2)), (fmpq(1, 10), fmpq(1)))
    assert ds.Y == ((fmpq(1, 1000),), (fmpq(2),))
    assert (ds.d, ds.p, ds.l) == (2, 2, 1)
    assert repr(ds) == "Dataset(d=2, p=2, l=1)"


def test_labels_may_be_rows_for_several_outputs():
    ds = Dataset.from_rows([[0], [1]], [[1, 2], ["1/3", 0]])
    assert ds.l == 2
    assert ds.y_column(1) == (fmpq(2), fmpq(0))
    assert ds.y_column(0) == (fmpq(1), fmpq(1, 3))
    with pytest.raises(ShapeError, match="k=2"):
        ds.y_column(2)


def test_with_labels_returns_a_new_data_set_with_the_same_inputs():
    ds = Dataset.from_rows([[0], [1]], [1, 2])
    new = ds.with_labels(["1/2", "-1"])
    assert new.X == ds.X and new.Y == ((fmpq(1, 2),), (fmpq(-1),))
    assert ds.Y == ((fmpq(1),), (fmpq(2),))
    with pytest.raises(ShapeError):
        ds.with_labels([1, 2, 3])


@pytest.mark.parametrize("X, Y", [
    ([], []),
    ([[]], [1]),
    ([[1, 2], [3]], [1, 2]),
    ([[1], [2]], [1]),
    ([[1], [2]], [[1], [2, 3]]),
    ([[1], [2]], [1, [2]]),
])
def test_malformed_shapes_are_rejected(X, Y):
    with pytest.raises(ShapeError):
        Dataset.from_rows(X, Y)


def test_the_constructor_requires_exact_entries():
    with pytest.raises(ParseError, match="fmpq"):
        Dataset(((0.5,),), ((fmpq(1),),))


def test_data_sets_are_frozen_and_hashable_values():
    a = Dataset.from_rows([[0], [1]], [1, 2])
    assert a == Dataset.from_rows([["0"], ["1/1"]], ["1", "2.0"])
    assert hash(a) == hash(Dataset.from_rows([[0], [1]], [1, 2]))
    with pytest.raises(AttributeError):
        a.X = ()  # type: ignore[misc]


def test_duplicate_inputs_lists_all_equal_pairs_zero_based():
    ds = Dataset.from_rows([[1, 0], [0, 0], [1, 0], ["1/2", 0], ["1.0", "0"]], [1, 2, 3, 4, 5])
    assert ds.duplicate_inputs() == [(0, 2), (0, 4), (2, 4)]


def test_require_distinct_names_the_rows_one_based_and_the_common_x():
    ds = Dataset.from_rows([[0, 0], [1, 0], [2, 0], [3, 0], [1, 0]], [1, 2, 3, 4, 5])
    with pytest.raises(DuplicateInputError, match=r"^duplicate inputs: rows 2 and 5 have the same x = \(1, 0\)$"):
        ds.require_distinct()
    assert Dataset.from_rows([[0], [1]], [1, 1]).require_distinct() is None


def test_to_json_obj_gives_exact_strings_that_read_back(tmp_path):
    ds = Dataset.from_rows([["1/3", "0.1"], [-2, 0]], [["1e-2", 1], [0, "-7/2"]])
    obj = ds.to_json_obj()
    assert obj == {"X": [["1/3", "1/10"], ["-2", "0"]], "Y": [["1/100", "1"], ["0", "-7/2"]]}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(obj))
    assert read_json(path) == ds


# --- CSV ---------------------------------------------------------------------------------------------------------


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_csv_is_read_exactly_skipping_comments_and_blank_lines(tmp_path):
    path = write(tmp_path, "points.csv", "# data\nx1,x2,y\n\n0.1, 1/3 ,2\n# more\n-1,1e-2,0\n")
    ds = read_csv(path)
    assert ds.X == ((fmpq(1, 10), fmpq(1, 3)), (fmpq(-1), fmpq(1, 100)))
    assert ds.Y == ((fmpq(2),), (fmpq(0),))


def test_a_csv_header_may_name_several_labels_and_quoted_values(tmp_path):
    path = write(tmp_path, "p.csv", 'x,y1,y2\n"1/2",1,2\n3,"4",5\n')
    ds = read_csv(path)
    assert (ds.d, ds.p, ds.l) == (2, 1, 2)
    assert ds.Y == ((fmpq(1), fmpq(2)), (fmpq(4), fmpq(5)))


def test_a_ragged_row_is_reported_with_its_data_row_number(tmp_path):
    path = write(tmp_path, "points.csv", "x1,x2,y\n1,2,3\n4,5,6\n# c\n7,8,9\n1,2\n")
    with pytest.raises(ShapeError, match=r"points\.csv row 4 \(line 6\): expected 3 values, found 2"):
        read_csv(path)


@pytest.mark.parametrize("text, match", [
    ("x1,x2\n1,2\n", "no label column"),
    ("y\n1\n", "no input column"),
    ("1,2,3\n4,5,6\n", "no header row"),
    ("x1,z,y\n1,2,3\n", "'z' is neither"),
    ("y,x1\n1,2\n", "must come before"),
    ("x1,x1,y\n1,2,3\n", "repeated column"),
    ("x1,y\n", "no data rows"),
    ("x1;x2;y\n1;2;3\n", "separated by commas"),
    ("", "empty"),
    ("\n# only a comment\n\n", "empty"),
])
def test_csv_shape_problems_are_shape_errors_naming_the_file(tmp_path, text, match):
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(ShapeError, match=match) as info:
        read_csv(path)
    assert "bad.csv" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("cell", ["abc", "nan", "inf", "-inf", "1/0", ""])
def test_a_bad_csv_value_is_a_parse_error_naming_row_column_and_value(tmp_path, cell):
    path = write(tmp_path, "points.csv", f"x1,x2,y\n1,2,3\n1,{cell},0\n")
    with pytest.raises(ParseError, match=rf"^.*points\.csv row 2 column x2: {cell!r}"):
        read_csv(path)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_csv(tmp_path / "nope.csv")


def test_a_directory_is_an_unreadable_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_csv(tmp_path)


def test_invalid_utf8_is_an_input_error_naming_the_byte(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y\n1,\xff\n")
    with pytest.raises(InputError, match=r"not UTF-8 \(byte 0xff at offset 6\)"):
        read_csv(path)


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfx,y\n1,2\n")
    assert read_csv(path).X == ((fmpq(1),),)


def test_readers_do_not_require_distinct_inputs_but_detect_them(tmp_path):
    path = write(tmp_path, "dup.csv", "x1,x2,y\n0,0,1\n1,0,2\n1.0,0,3\n")
    ds = read_csv(path)
    assert ds.duplicate_inputs() == [(1, 2)]
    with pytest.raises(DuplicateInputError, match="rows 2 and 3"):
        ds.require_distinct()


def test_a_file_over_50_mb_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.truncate(50 * 10**6 + 1)
    with pytest.raises(InputError, match="larger than 50 MB"):
        read_csv(path)


# --- JSON and load_dataset ---------------------------------------------------------------------------------------


def test_a_good_json_is_read_exactly_and_json_numbers_from_their_text(tmp_path):
    path = write(tmp_path, "d.json", '{"X": [["0.1", 2], [0.1, "1/3"]], "Y": [1e-2, "-1"], "note": "x"}')
    ds = read_json(path)
    assert ds.X == ((fmpq(1, 10), fmpq(2)), (fmpq(1, 10), fmpq(1, 3)))
    assert ds.Y == ((fmpq(1, 100),), (fmpq(-1),))


def test_json_labels_may_be_rows(tmp_path):
    path = write(tmp_path, "d.json", '{"X": [[0], [1]], "Y": [[1, 2], [3, 4]]}')
    assert read_json(path).l == 2


def test_malformed_json_is_a_parse_error_with_line_and_column(tmp_path):
    path = write(tmp_path, "d.json", '{"X": [[1]],\n "Y": [1,]}')
    with pytest.raises(ParseError, match=r"d\.json: malformed JSON at line 2 column"):
        read_json(path)


@pytest.mark.parametrize("text, error, match", [
    ('{"X": [[NaN]], "Y": [1]}', ParseError, "NaN"),
    ('{"X": [[1]], "Y": [Infinity]}', ParseError, "Infinity"),
    ('{"X": [["abc"]], "Y": [1]}', ParseError, r"d\.json X row 1 column 1: 'abc'"),
    ('{"X": [[1], [true]], "Y": [1, 2]}', ParseError, "X row 2 column 1: True"),
    ('{"X": [[1]]}', ShapeError, "missing key 'Y'"),
    ('[1, 2]', ShapeError, "JSON object"),
    ('{"X": [[1], [2, 3]], "Y": [1, 2]}', ShapeError, "row 2"),
    ('{"X": [], "Y": []}', ShapeError, "empty"),
    ('{"X": [1, 2], "Y": [1, 2]}', ShapeError, "list of rows"),
])
def test_bad_json_content_is_rejected_with_one_line(tmp_path, text, error, match):
    path = write(tmp_path, "d.json", text)
    with pytest.raises(error, match=match) as info:
        read_json(path)
    assert "\n" not in str(info.value)


def test_load_dataset_chooses_the_reader_by_extension_or_content(tmp_path):
    expected = Dataset.from_rows([[1]], [2])
    assert load_dataset(write(tmp_path, "a.CSV", "x,y\n1,2\n")) == expected
    assert load_dataset(write(tmp_path, "a.json", '{"X": [[1]], "Y": [2]}')) == expected
    assert load_dataset(write(tmp_path, "a.txt", ' {"X": [[1]], "Y": [2]}')) == expected
    assert load_dataset(write(tmp_path, "a.dat", "x,y\n1,2\n")) == expected


def test_more_than_ten_thousand_columns_are_refused(tmp_path):
    header = ",".join(f"x{i}" for i in range(10_000)) + ",y"
    with pytest.raises(InputError, match="10001 columns"):
        read_csv(write(tmp_path, "wide.csv", header + "\n"))


def test_more_than_a_million_rows_are_refused_before_parsing(tmp_path):
    path = write(tmp_path, "long.csv", "x,y\n" + "1,2\n" * 1_000_001)
    with pytest.raises(InputError, match="1000001 data rows"):
        read_csv(path)


def test_json_nested_too_deeply_is_a_parse_error(tmp_path):
    from symland.data import read_json

    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ParseError, match="deep.json: malformed JSON: nested too deeply"):
        read_json(path)


def test_json_with_too_many_inputs_is_refused(tmp_path, monkeypatch):
    import symland.data as data_mod

    monkeypatch.setattr(data_mod, "MAX_COLUMNS", 5)
    path = tmp_path / "wide.json"
    path.write_text('{"X": [[1, 2], [1, 2, 3, 4, 5, 6]], "Y": [1, 2]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"wide.json: row 2 of X has 6 inputs, more than the limit of 5"):
        data_mod.read_json(path)


@pytest.mark.parametrize("content", [b"x1,y\n\xff,1\n", b"[" * 50_000, b"x1,y\n" + b"1,2,3\n"])
def test_bad_data_files_are_one_line_and_exit_2_on_the_command_line(tmp_path, capsys, content):
    from proofs_check.cli import main

    path = tmp_path / ("d.json" if content.startswith(b"[") else "d.csv")
    path.write_bytes(content)
    assert main(["verify", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("symland: error: ") and "Traceback" not in err
