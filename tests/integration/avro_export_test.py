#!/usr/bin/python3
"""Avro export checked by Apache Avro's Python library (Debian python3-avro).

Every codec (null, deflate, snappy, zstandard) is read back and compared,
value by value, with the NDJSON export of the same generated rows. Run with
/usr/bin/python3; SLUICE_BIN selects the binary.
"""
import base64
import datetime
import decimal
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings

from avro.datafile import DataFileReader
from avro.io import DatumReader

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SLUICE = os.environ.get("SLUICE_BIN", os.path.join(REPO, "build", "release", "sluice"))
EPOCH = datetime.datetime(1970, 1, 1)
ROWS = 3000

# python3-avro 1.11.1 does not know local-timestamp-micros and warns once.
warnings.simplefilter("ignore")


def run(*args, expect=0):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_") or k == "SLUICE_BIN"}
    result = subprocess.run([SLUICE, *args], capture_output=True, env=env)
    assert result.returncode == expect, (
        f"sluice {' '.join(args)} exited {result.returncode}, expected {expect}: {result.stderr.decode()}")
    return result


def read_avro(path):
    with open(path, "rb") as file:
        reader = DataFileReader(file, DatumReader())
        schema = json.loads(reader.meta["avro.schema"].decode())
        codec = reader.meta["avro.codec"].decode()
        rows = list(reader)
    return schema, codec, rows


def reference_rows(directory, rows=ROWS):
    path = os.path.join(directory, "reference.ndjson")
    run("export", "--from", f"gen:rows={rows}", "--to", path, "--quiet")
    with open(path, encoding="utf-8") as file:
        return [json.loads(line, parse_float=decimal.Decimal) for line in file]


def parse_timestamp(text):
    return datetime.datetime.fromisoformat(text)


def check_generated_row(actual, expected):
    row = expected["id"]
    assert actual["id"] == expected["id"], row
    assert actual["flag"] == expected["flag"], row
    if expected["amount"] is None:
        assert actual["amount"] is None, row
    else:
        assert actual["amount"] == float(expected["amount"]), (row, actual["amount"], expected["amount"])
    for name in ("price", "big"):
        assert actual[name] == expected[name], (row, name, actual[name], expected[name])
    assert actual["name"] == expected["name"], row
    payload = None if expected["payload"] is None else base64.b64decode(expected["payload"])
    assert actual["payload"] == payload, row
    day = None if expected["day"] is None else datetime.date.fromisoformat(expected["day"])
    assert actual["day"] == day, row
    if expected["local_time"] is None:
        assert actual["local_time"] is None, row
    else:
        local = EPOCH + datetime.timedelta(microseconds=actual["local_time"])
        assert local == parse_timestamp(expected["local_time"]), row
    instant = None if expected["instant"] is None else parse_timestamp(expected["instant"])
    assert actual["instant"] == instant, row


def test_every_codec_reads_back():
    with tempfile.TemporaryDirectory() as directory:
        expected = reference_rows(directory)
        for codec in ("null", "deflate", "snappy", "zstandard"):
            path = os.path.join(directory, f"{codec}.avro")
            run("export", "--from", f"gen:rows={ROWS}", "--to", path, "--avro-codec", codec,
                "--avro-block-size", "16KB", "--quiet")
            schema, stored_codec, rows = read_avro(path)
            assert stored_codec == codec
            assert len(rows) == ROWS, codec
            for actual, reference in zip(rows, expected):
                check_generated_row(actual, reference)


def test_derived_schema_types():
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "out.avro")
        run("export", "--from", "gen:rows=1", "--to", path, "--avro-record-name", "Sale",
            "--avro-namespace", "com.example", "--quiet")
        schema, _, _ = read_avro(path)
        assert schema["name"] == "Sale"
        assert schema["namespace"] == "com.example"
        fields = {field["name"]: field for field in schema["fields"]}
        assert fields["id"]["type"] == "long"
        assert fields["flag"]["type"] == ["null", "boolean"]
        assert fields["flag"]["default"] is None
        assert fields["price"]["type"][1] == {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}
        assert fields["day"]["type"][1] == {"type": "int", "logicalType": "date"}
        assert fields["local_time"]["type"][1] == {"type": "long", "logicalType": "local-timestamp-micros"}
        assert fields["instant"]["type"][1] == {"type": "long", "logicalType": "timestamp-micros"}


def test_column_names_sanitized():
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "names.csv")
        with open(source, "w", encoding="utf-8") as file:
            file.write("first name,1st,a-b,\u20ac,a_b\nx,1,2,3,4\n")
        path = os.path.join(directory, "out.avro")
        run("export", "--from", source, "--to", path, "--quiet")
        schema, _, rows = read_avro(path)
        names = [field["name"] for field in schema["fields"]]
        assert names == ["first_name", "_1st", "a_b_2", "_", "a_b"], names
        originals = [field.get("sluice.originalName") for field in schema["fields"]]
        assert originals == ["first name", "1st", "a-b", "\u20ac", None], originals
        assert rows[0]["first_name"] == "x"
        assert rows[0]["a_b_2"] == 2
        assert rows[0]["a_b"] == 4


def test_user_schema_promotes_and_fills_defaults():
    with tempfile.TemporaryDirectory() as directory:
        schema_path = os.path.join(directory, "target.avsc")
        with open(schema_path, "w", encoding="utf-8") as file:
            json.dump({
                "type": "record", "name": "Target", "namespace": "org.example",
                "fields": [
                    {"name": "id", "type": "double"},
                    {"name": "label", "aliases": ["name"], "type": ["null", "bytes"], "default": None},
                    {"name": "region", "type": "string", "default": "EU"},
                    {"name": "tags", "type": {"type": "array", "items": "string"}, "default": ["a", "b"]},
                    {"name": "price", "type": ["null", {"type": "bytes", "logicalType": "decimal",
                                                          "precision": 20, "scale": 2}], "default": None},
                ],
            }, file)
        path = os.path.join(directory, "out.avro")
        run("export", "--from", "gen:rows=200", "--to", path, "--avro-schema", schema_path, "--quiet")
        expected = reference_rows(directory, 200)
        schema, _, rows = read_avro(path)
        assert schema["name"] == "Target"
        assert len(rows) == 200
        for actual, reference in zip(rows, expected):
            assert actual["id"] == float(reference["id"])
            label = None if reference["name"] is None else reference["name"].encode()
            assert actual["label"] == label
            assert actual["region"] == "EU"
            assert actual["tags"] == ["a", "b"]
            assert actual["price"] == reference["price"]


def test_incompatible_schema_rejected_before_writing():
    with tempfile.TemporaryDirectory() as directory:
        schema_path = os.path.join(directory, "narrow.avsc")
        with open(schema_path, "w", encoding="utf-8") as file:
            json.dump({"type": "record", "name": "R", "fields": [{"name": "id", "type": "int"}]}, file)
        path = os.path.join(directory, "out.avro")
        result = run("export", "--from", "gen:rows=10", "--to", path, "--avro-schema", schema_path, expect=3)
        message = result.stderr.decode()
        assert "field 'id'" in message, message
        assert "int64" in message, message
        assert "type int" in message, message
        assert not os.path.exists(path)


def test_missing_field_without_default_rejected():
    with tempfile.TemporaryDirectory() as directory:
        schema_path = os.path.join(directory, "extra.avsc")
        with open(schema_path, "w", encoding="utf-8") as file:
            json.dump({"type": "record", "name": "R", "fields": [{"name": "nope", "type": "string"}]}, file)
        result = run("export", "--from", "gen:rows=10", "--to", os.path.join(directory, "out.avro"),
                     "--avro-schema", schema_path, expect=3)
        assert "field 'nope'" in result.stderr.decode()


def test_same_seed_same_bytes():
    with tempfile.TemporaryDirectory() as directory:
        outputs = []
        for name in ("a.avro", "b.avro"):
            path = os.path.join(directory, name)
            run("export", "--from", "gen:rows=500", "--to", path, "--avro-sync-seed", "42", "--quiet")
            with open(path, "rb") as file:
                outputs.append(file.read())
        assert outputs[0] == outputs[1]


def test_invalid_codec_is_usage_error():
    with tempfile.TemporaryDirectory() as directory:
        result = run("export", "--from", "gen:rows=1", "--to", os.path.join(directory, "x.avro"),
                     "--avro-codec", "lzma", expect=2)
        assert "lzma" in result.stderr.decode()


def main():
    tests = [(name, value) for name, value in globals().items() if name.startswith("test_") and callable(value)]
    failed = 0
    for name, test in tests:
        try:
            test()
            print(f"ok   {name}")
        except Exception as error:  # report every failing test, then exit non-zero
            failed += 1
            print(f"FAIL {name}: {error!r}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
