#!/usr/bin/python3
"""Checks the Sluice container against an independent implementation.

The reader and writer below follow docs/encryption.md alone and use the
Python `cryptography` package, not Sluice's code. The test decrypts files
that `sluice export --encrypt` wrote, and has `sluice decrypt` open files
written here. SLUICE_BIN names the binary (default
/work/main/build/release/sluice).
"""
import os
import subprocess
import sys
import tempfile
import unittest

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SLUICE = os.environ.get("SLUICE_BIN", "/work/main/build/release/sluice")
MAGIC = b"SLUICENC"
FIELDS = 48
HEADER = 80
SEGMENT = 65536
TAG = 16


def derive_keys(password, salt, log_n, r, p):
    derived = Scrypt(salt=salt, length=64, n=1 << log_n, r=r, p=p).derive(password)
    return derived[:32], derived[32:]


def segment_nonce(prefix, counter, last):
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def decrypt_container(data, password):
    """Returns the plaintext, raising ValueError for any failed check."""
    if data[:8] != MAGIC:
        raise ValueError("no magic")
    header = data[:HEADER]
    if len(header) < HEADER or header[8] != 1 or header[9] != 1 or header[10] != 1:
        raise ValueError("bad header")
    log_n = header[11]
    r = int.from_bytes(header[12:16], "big")
    p = int.from_bytes(header[16:20], "big")
    if int.from_bytes(header[20:24], "big") != SEGMENT or (128 * r << log_n) > 1 << 30:
        raise ValueError("unsupported parameters")
    salt, prefix = header[24:40], header[40:47]
    payload_key, header_key = derive_keys(password, salt, log_n, r, p)

    mac = hmac.HMAC(header_key, hashes.SHA256())
    mac.update(header[:FIELDS])
    mac.verify(header[FIELDS:HEADER])  # raises InvalidSignature for a wrong password

    aead = AESGCM(payload_key)
    body = data[HEADER:]
    sealed_size = SEGMENT + TAG
    count = max(1, -(-len(body) // sealed_size))
    plaintext = []
    for counter in range(count):
        sealed = body[counter * sealed_size:(counter + 1) * sealed_size]
        last = counter == count - 1
        plaintext.append(aead.decrypt(segment_nonce(prefix, counter, last), sealed, header))
        if last and counter > 0 and not plaintext[-1]:
            raise ValueError("empty final segment")
    return b"".join(plaintext)


def encrypt_container(plaintext, password, salt, prefix, log_n=12, r=8, p=1):
    payload_key, header_key = derive_keys(password, salt, log_n, r, p)
    fields = (MAGIC + bytes([1, 1, 1, log_n]) + r.to_bytes(4, "big") + p.to_bytes(4, "big")
              + SEGMENT.to_bytes(4, "big") + salt + prefix + b"\x00")
    mac = hmac.HMAC(header_key, hashes.SHA256())
    mac.update(fields)
    header = fields + mac.finalize()
    aead = AESGCM(payload_key)
    segments = [plaintext[i:i + SEGMENT] for i in range(0, len(plaintext), SEGMENT)] or [b""]
    out = [header]
    for counter, segment in enumerate(segments):
        last = counter == len(segments) - 1
        out.append(aead.encrypt(segment_nonce(prefix, counter, last), segment, header))
    return b"".join(out)


def run_sluice(*args, env_password=None):
    env = dict(os.environ)
    env.pop("SLUICE_PASSWORD", None)
    if env_password is not None:
        env["SLUICE_PASSWORD"] = env_password
    return subprocess.run([SLUICE, *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


@unittest.skipUnless(os.access(SLUICE, os.X_OK), f"sluice binary not found at {SLUICE}")
class SluiceContainerInterop(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = lambda name: os.path.join(self.dir.name, name)

    def tearDown(self):
        self.dir.cleanup()

    def write_csv(self, rows):
        with open(self.path("in.csv"), "w") as f:
            f.write("id,name\n")
            for i in range(rows):
                f.write(f"{i},name-{i}\n")
        with open(self.path("in.csv"), "rb") as f:
            return f.read()

    def test_decrypts_sluice_export(self):
        for rows in (0, 3, 20000):  # 20000 rows span several 64 KiB segments
            expected = self.write_csv(rows)
            result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("out.csv"),
                                "--encrypt", "--progress", "none", env_password="correct horse")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(self.path("out.csv"), "rb") as f:
                data = f.read()
            self.assertEqual(decrypt_container(data, b"correct horse"), expected)
            with self.assertRaises(Exception):
                decrypt_container(data, b"wrong horse")

    def test_work_factor_stored_in_header(self):
        expected = self.write_csv(100)
        for extra, log_n in (((), 15), (("--scrypt-work-factor", "17"), 17)):
            result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("out.csv"),
                                "--encrypt", "--progress", "none", *extra, env_password="pw")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(self.path("out.csv"), "rb") as f:
                data = f.read()
            self.assertEqual(data[11], log_n)
            self.assertEqual(decrypt_container(data, b"pw"), expected)
        for value in ("9", "21"):
            result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("bad.csv"),
                                "--encrypt", "--scrypt-work-factor", value, env_password="pw")
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("--scrypt-work-factor", result.stderr)
            self.assertFalse(os.path.exists(self.path("bad.csv")))
        # Without a password there is no key to derive, and the setting is ignored.
        result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("plain.csv"),
                            "--scrypt-work-factor", "16")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("plain.csv"), "rb") as f:
            self.assertEqual(f.read(), expected)

    def test_sluice_decrypts_independent_file(self):
        plaintext = os.urandom(3 * SEGMENT + 123)
        data = encrypt_container(plaintext, b"pw-42", os.urandom(16), os.urandom(7))
        with open(self.path("in.enc"), "wb") as f:
            f.write(data)
        with open(self.path("pw.txt"), "w") as f:
            f.write("pw-42\n")
        result = run_sluice("decrypt", self.path("in.enc"), self.path("out.bin"),
                            "--password-file", self.path("pw.txt"))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path("out.bin"), "rb") as f:
            self.assertEqual(f.read(), plaintext)

    def test_sluice_rejects_modified_independent_file(self):
        data = bytearray(encrypt_container(b"x" * (2 * SEGMENT), b"pw", bytes(16), bytes(7)))
        data[HEADER + SEGMENT + TAG + 5] ^= 1
        with open(self.path("bad.enc"), "wb") as f:
            f.write(data)
        result = run_sluice("decrypt", self.path("bad.enc"), self.path("out.bin"), env_password="pw")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("segment 1 ", result.stderr)
        self.assertFalse(os.path.exists(self.path("out.bin")))

    def test_specification_vector(self):
        salt, prefix = bytes(range(16)), bytes(range(0xA0, 0xA7))
        data = encrypt_container(b"hello, sluice\n", b"sluice", salt, prefix, log_n=10)
        self.assertEqual(data.hex(), (
            "534c554943454e430101010a000000080000000100010000"
            "000102030405060708090a0b0c0d0e0fa0a1a2a3a4a5a600"
            "e682e6ef3ed5f41ae55e00cf26d3adc768a22c7796b4244ca7ec8adde0469e05"
            "af85f91fb9a4461e0cef249fbd5a"
            "37a9254a548b2e8942db411512fefe6a"))
        self.assertEqual(decrypt_container(data, b"sluice"), b"hello, sluice\n")
        with self.assertRaises(InvalidTag):
            AESGCM(bytes(32)).decrypt(bytes(12), data[HEADER:], data[:HEADER])


if __name__ == "__main__":
    sys.exit(unittest.main())
