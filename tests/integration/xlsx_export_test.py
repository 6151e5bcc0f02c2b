#!/usr/bin/python3
"""XLSX export checked by openpyxl (Debian python3-openpyxl) and LibreOffice.

Generated rows are read back with openpyxl and compared with the NDJSON
export of the same rows; LibreOffice headless converts the workbook to CSV,
which fails on a file it would have to repair. Run with /usr/bin/python3;
SLUICE_BIN selects the binary. The LibreOffice test is skipped when soffice
is not installed.
"""
import base64
import csv
import datetime
import decimal
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SLUICE = os.environ.get("SLUICE_BIN", os.path.join(REPO, "build", "release", "sluice"))
ROWS = 2000
EXCEL_MAX_ROWS = 1048576
GUARDED = ("=", "+", "-", "@", "\t", "\r")
FIRST_EXCEL_DATE = datetime.date(1900, 3, 1)
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def run(*args, expect=0):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_") or k == "SLUICE_BIN"}
    result = subprocess.run([SLUICE, *args], capture_output=True, env=env)
    assert result.returncode == expect, (
        f"sluice {' '.join(args)} exited {result.returncode}, expected {expect}: {result.stderr.decode()}")
    return result


def unescape(value):
    """Decodes OOXML _xHHHH_ escapes, as Excel and LibreOffice do; openpyxl
    3.0 leaves them in inline strings."""
    if not isinstance(value, str):
        return value
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def read_sheets(path):
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheets = {ws.title: [tuple(unescape(v) for v in row) for row in ws.iter_rows(values_only=True)]
              for ws in workbook.worksheets}
    workbook.close()
    return sheets


def reference_rows(directory, rows=ROWS):
    path = os.path.join(directory, "reference.ndjson")
    run("export", "--from", f"gen:rows={rows}", "--to", path, "--quiet")
    with open(path, encoding="utf-8") as file:
        return [json.loads(line, parse_float=decimal.Decimal) for line in file]


def expected_text(text):
    if text is None or text == "":
        return None  # an empty string leaves the cell blank, like a null
    return "'" + text if text.startswith(GUARDED) else text


def expected_decimal(value, scale):
    """Decimals with up to 15 significant digits are numbers, longer ones exact text."""
    if value is None:
        return None
    significant = len(value.normalize().as_tuple().digits) if value != 0 else 1
    return value if significant <= 15 else f"{value:.{scale}f}"


def check_timestamp(actual, text, row):
    expected = datetime.datetime.fromisoformat(text).replace(tzinfo=None)
    if expected.date() < FIRST_EXCEL_DATE:
        assert actual == text.rstrip("Z").replace(" ", "T") or actual == text, (row, actual, text)
        return
    # openpyxl rounds serials to milliseconds.
    assert abs(actual - expected) <= datetime.timedelta(milliseconds=1), (row, actual, expected)


def check_generated_row(actual, expected):
    (id_, flag, amount, price, big, name, payload, day, local_time, instant) = actual
    row = expected["id"]
    assert id_ == expected["id"], row
    assert flag == expected["flag"], row

    if expected["amount"] is None:
        assert amount is None, row
    else:
        # libxlsxwriter writes 16 significant digits.
        assert abs(amount - float(expected["amount"])) <= 1e-15 * abs(float(expected["amount"])), (row, amount)

    want_price = expected_decimal(expected["price"], 2)
    if isinstance(want_price, decimal.Decimal):
        assert decimal.Decimal(repr(price)).quantize(decimal.Decimal("0.01")) == want_price, (row, price)
    else:
        assert price == want_price, (row, price, want_price)
    want_big = expected_decimal(expected["big"], 10)
    if isinstance(want_big, decimal.Decimal):
        assert decimal.Decimal(repr(big)).quantize(decimal.Decimal("1e-10")) == want_big, (row, big)
    else:
        assert big == want_big, (row, big, want_big)

    assert name == expected_text(expected["name"]), (row, name, expected["name"])
    assert payload == (expected["payload"] or None), row

    if expected["day"] is None:
        assert day is None, row
    else:
        want_day = datetime.date.fromisoformat(expected["day"])
        if want_day < FIRST_EXCEL_DATE:
            assert day == expected["day"], (row, day)
        else:
            assert day == datetime.datetime.combine(want_day, datetime.time()), (row, day)

    for value, text in ((local_time, expected["local_time"]), (instant, expected["instant"])):
        if text is None:
            assert value is None, row
        else:
            check_timestamp(value, text, row)


def test_generated_rows_read_back():
    with tempfile.TemporaryDirectory() as directory:
        expected = reference_rows(directory)
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", f"gen:rows={ROWS}", "--to", path, "--quiet")
        sheets = read_sheets(path)
        assert list(sheets) == ["Sheet1"]
        rows = sheets["Sheet1"]
        assert rows[0] == ("id", "flag", "amount", "price", "big", "name", "payload", "day", "local_time", "instant")
        assert len(rows) == ROWS + 1
        for actual, reference in zip(rows[1:], expected):
            check_generated_row(actual, reference)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)


def test_special_text_round_trips():
    values = ["x\x01y", "_x0041_", "_X00e9_ tail", "bell\x07", "=1+2", "+3", "@A1", "-4", "tab\tin",
              "emoji \U0001F600", "\ufffe", "long " * 7000]
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "text.csv")
        write_csv(source, [["text"]] + [[value] for value in values])
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", source, "--to", path, "--schema", "text:string", "--quiet")
        rows = read_sheets(path)["Sheet1"][1:]
        got = [row[0] for row in rows]
        for value, actual in zip(values, got):
            want = expected_text(value)
            if len(want) > 32767:
                want = want[:32767]
            assert actual == want, (value[:40], actual[:40] if actual else actual)


def test_formula_guard_can_be_disabled():
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "text.csv")
        write_csv(source, [["text"], ["=SUM(1,2)"]])
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", source, "--to", path, "--no-xlsx-formula-guard", "--quiet")
        assert read_sheets(path)["Sheet1"][1] == ("=SUM(1,2)",)
        with zipfile.ZipFile(path) as archive:
            assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_large_int64_written_as_text():
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "ints.csv")
        write_csv(source, [["n"], ["9007199254740992"], ["9007199254740993"], ["-9223372036854775808"]])
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", source, "--to", path, "--schema", "n:int64", "--quiet")
        assert [row[0] for row in read_sheets(path)["Sheet1"][1:]] == [
            9007199254740992, "9007199254740993", "-9223372036854775808"]


def test_row_overflow_continues_on_new_sheet():
    rows = EXCEL_MAX_ROWS + 5  # data rows: the first sheet has room for EXCEL_MAX_ROWS - 1
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "many.csv")
        with open(source, "w", encoding="ascii") as file:
            file.write("n\n")
            file.write("".join(f"{i}\n" for i in range(1, rows + 1)))
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", source, "--to", path, "--schema", "n:int64", "--sheet-name", "Data", "--quiet")
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode()
            assert 'name="Data"' in workbook, workbook
            assert 'name="Data (2)"' in workbook, workbook
            first = archive.read("xl/worksheets/sheet1.xml").decode()
            assert f'<row r="{EXCEL_MAX_ROWS}"' in first
            assert f'<v>{EXCEL_MAX_ROWS - 1}</v>' in first
            second = archive.read("xl/worksheets/sheet2.xml").decode()
        assert '<c r="A1" s="1" t="inlineStr"><is><t>n</t></is></c>' in second
        assert f'<c r="A2"><v>{EXCEL_MAX_ROWS}</v></c>' in second
        assert f'<c r="A7"><v>{rows}</v></c>' in second
        assert '<row r="8"' not in second

        result = run("export", "--from", source, "--to", os.path.join(directory, "fail.xlsx"),
                     "--schema", "n:int64", "--xlsx-overflow", "error", expect=3)
        assert "xlsx-overflow" in result.stderr.decode()
        assert not os.path.exists(os.path.join(directory, "fail.xlsx"))


def test_too_many_columns_rejected():
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "wide.csv")
        write_csv(source, [[f"c{i}" for i in range(16385)], ["1"] * 16385])
        path = os.path.join(directory, "out.xlsx")
        result = run("export", "--from", source, "--to", path, expect=3)
        assert "16385 columns" in result.stderr.decode(), result.stderr.decode()
        assert not os.path.exists(path)


def test_libreoffice_opens_workbook():
    soffice = shutil.which("soffice")
    if soffice is None:
        print("skipped: soffice not installed")
        return
    with tempfile.TemporaryDirectory() as directory:
        expected = reference_rows(directory, 500)
        path = os.path.join(directory, "out.xlsx")
        run("export", "--from", "gen:rows=500", "--to", path, "--quiet")
        out_dir = os.path.join(directory, "converted")
        profile = "file://" + os.path.join(directory, "profile")
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                        "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out_dir, path],
                       check=True, capture_output=True, timeout=180)
        with open(os.path.join(out_dir, "out.csv"), encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
        assert rows[0] == ["id", "flag", "amount", "price", "big", "name", "payload", "day", "local_time", "instant"]
        assert len(rows) == 501
        for actual, reference in zip(rows[1:], expected):
            assert actual[0] == str(reference["id"])
            assert actual[1] == ("" if reference["flag"] is None else str(reference["flag"]).upper())
            assert actual[6] == (reference["payload"] or "")
            if reference["day"] is not None and datetime.date.fromisoformat(reference["day"]) >= FIRST_EXCEL_DATE:
                assert actual[7] == reference["day"], (actual[7], reference["day"])
            if reference["name"] is not None and "\r" not in reference["name"]:
                assert actual[5] == (expected_text(reference["name"]) or ""), (actual[5], reference["name"])


def main():
    tests = [(name, value) for name, value in globals().items() if name.startswith("test_") and callable(value)]
    failed = 0
    for name, test in tests:
        try:
            test()
            print(f"ok   {name}")
        except Exception as error:  # report every failing test, then exit non-zero
            failed += 1
            print(f"FAIL {name}: {error!r}"[:2000])
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
