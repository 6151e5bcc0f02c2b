#!/usr/bin/python3
"""Checks that Sluice's age output and the `age` tool (Debian's age 1.1)
read each other's files: passphrase (scrypt) and X25519 recipients.

age reads a passphrase only from a terminal, so the passphrase goes through
`script`, which gives age a pseudo-terminal. SLUICE_BIN names the binary
(default /work/main/build/release/sluice).
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

SLUICE = os.environ.get("SLUICE_BIN", "/work/main/build/release/sluice")


def in_terminal(command, typed):
    """Runs `command` on a pseudo-terminal, typing `typed` into it."""
    return subprocess.run(["script", "-qec", command, "/dev/null"], input=typed,
                          capture_output=True, text=True)


def run_sluice(*args, password=None):
    env = dict(os.environ)
    env.pop("SLUICE_PASSWORD", None)
    if password is not None:
        env["SLUICE_PASSWORD"] = password
    return subprocess.run([SLUICE, *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


@unittest.skipUnless(os.access(SLUICE, os.X_OK), f"sluice binary not found at {SLUICE}")
@unittest.skipUnless(shutil.which("age") and shutil.which("script"), "age or script is not installed")
class AgeInterop(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = lambda name: os.path.join(self.dir.name, name)
        with open(self.path("in.csv"), "w") as f:
            f.write("id,name\n")
            for i in range(30000):  # several 64 KiB chunks
                f.write(f"{i},name-{i}\n")
        with open(self.path("in.csv"), "rb") as f:
            self.expected = f.read()

    def tearDown(self):
        self.dir.cleanup()

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def export_age(self, *extra, password=None):
        result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("out.age"),
                            "--format", "csv", "--encrypt", "age", "--progress", "none", *extra,
                            password=password)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_age_decrypts_passphrase_export(self):
        self.export_age(password="pw with spaces")
        command = f"age -d -o {shlex.quote(self.path('out.csv'))} {shlex.quote(self.path('out.age'))}"
        result = in_terminal(command, "pw with spaces\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.read("out.csv"), self.expected)

    def test_work_factor_in_scrypt_stanza(self):
        for extra, factor in (((), b"15"), (("--scrypt-work-factor", "16"), b"16")):
            self.export_age(*extra, password="pw")
            stanza = next(line for line in self.read("out.age").split(b"\n") if line.startswith(b"-> scrypt "))
            self.assertEqual(stanza.split(b" ")[-1], factor)
            command = f"age -d -o {shlex.quote(self.path('out.csv'))} {shlex.quote(self.path('out.age'))}"
            result = in_terminal(command, "pw\n")
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(self.read("out.csv"), self.expected)

    def test_age_decrypts_x25519_export(self):
        subprocess.run(["age-keygen", "-o", self.path("key.txt")], check=True, capture_output=True)
        recipient = subprocess.run(["age-keygen", "-y", self.path("key.txt")], check=True,
                                   capture_output=True, text=True).stdout.strip()
        self.export_age("--recipient", recipient)
        subprocess.run(["age", "-d", "-i", self.path("key.txt"), "-o", self.path("out.csv"),
                        self.path("out.age")], check=True)
        self.assertEqual(self.read("out.csv"), self.expected)

    def test_sluice_decrypts_age_passphrase_file(self):
        command = f"age -p -o {shlex.quote(self.path('f.age'))} {shlex.quote(self.path('in.csv'))}"
        result = in_terminal(command, "pw7\npw7\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        result = run_sluice("decrypt", self.path("f.age"), self.path("f.csv"), password="pw7")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read("f.csv"), self.expected)

        result = run_sluice("decrypt", self.path("f.age"), self.path("g.csv"), password="pw8")
        self.assertEqual(result.returncode, 3)
        self.assertIn("wrong password", result.stderr)
        self.assertFalse(os.path.exists(self.path("g.csv")))

    def test_sluice_decrypts_age_x25519_file(self):
        subprocess.run(["age-keygen", "-o", self.path("key.txt")], check=True, capture_output=True)
        recipient = subprocess.run(["age-keygen", "-y", self.path("key.txt")], check=True,
                                   capture_output=True, text=True).stdout.strip()
        subprocess.run(["age", "-r", recipient, "-o", self.path("f.age"), self.path("in.csv")],
                       check=True)
        result = run_sluice("decrypt", self.path("f.age"), self.path("f.csv"),
                            "--identity", self.path("key.txt"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read("f.csv"), self.expected)

    def test_prompt_asks_twice_on_terminal(self):
        command = " ".join(shlex.quote(part) for part in [
            SLUICE, "export", "--from", self.path("in.csv"), "--to", self.path("p.enc"),
            "--format", "csv", "--encrypt", "--progress", "none"])
        result = in_terminal(command, "typed-pw\ntyped-pw\n")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual(result.stdout.count("assword:"), 2, result.stdout)
        result = run_sluice("decrypt", self.path("p.enc"), self.path("p.csv"), password="typed-pw")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.read("p.csv"), self.expected)

    def test_no_password_without_terminal_is_usage_error(self):
        result = run_sluice("export", "--from", self.path("in.csv"), "--to", self.path("x.enc"),
                            "--format", "csv", "--encrypt")
        self.assertEqual(result.returncode, 2)
        self.assertIn("SLUICE_PASSWORD", result.stderr)
        self.assertFalse(os.path.exists(self.path("x.enc")))


if __name__ == "__main__":
    sys.exit(unittest.main())
