"""Sign-in fit for a district: salted scrypt hashes in the users file, the commands that write them, plain-text
passwords refused with the command that fixes them, and the check Gradio calls."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.app import passwords
from assistant.app.users_file import (AuthConfigError, auth_checker, hash_plain, load_credentials, remove_user,
                                      set_password)

ROOT = Path(__file__).resolve().parents[1]


def settings(auth: str = "", users_file: Path | None = None):
    return SimpleNamespace(auth=auth, users_file=users_file)


def test_hashes_are_salted_and_verify_only_the_right_password():
    a, b = passwords.hash_password("correct horse"), passwords.hash_password("correct horse")
    assert a != b and a.startswith("scrypt$") and passwords.is_hashed(a)
    assert "correct horse" not in a
    assert passwords.verify("correct horse", a) and passwords.verify("correct horse", b)
    for wrong in ("correct horse ", "Correct horse", "", "correct"):
        assert not passwords.verify(wrong, a)


@pytest.mark.parametrize("stored", [None, "", "plain-password", "scrypt$1$8$1$c2FsdA$AAAA",
                                    "scrypt$1048576000$8$1$c2FsdA$" + "A" * 43, "bcrypt$x$y$z$w$v"])
def test_unknown_users_and_malformed_hashes_never_verify(stored):
    assert not passwords.verify("anything", stored)


@pytest.mark.parametrize("password, ok", [("short", False), (" padded-password", False), ("line\nbreak-pass", False),
                                          ("eight ch", True), ("ünïcode-pässword", True)])
def test_new_passwords_are_checked(password, ok):
    assert (passwords.weakness(password) == "") is ok


def test_users_file_add_change_remove_and_check(tmp_path):
    path = tmp_path / "conf" / "users.txt"
    assert set_password(path, "alice", "wonder-land-42") is True
    assert set_password(path, "bob", "b0b-password") is True
    assert set_password(path, "alice", "new-secret-99") is False  # a changed password replaces the line
    text = path.read_text(encoding="utf-8")
    assert "wonder-land-42" not in text and "new-secret-99" not in text and text.count("alice:") == 1
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    creds = load_credentials(settings(users_file=path))
    assert creds.users() == ["alice", "bob"]
    check = auth_checker(creds)
    assert check("alice", "new-secret-99") and check("bob", "b0b-password")
    assert not check("alice", "wonder-land-42") and not check("carol", "new-secret-99") and not check("", "")
    assert remove_user(path, "bob") and not remove_user(path, "bob")
    assert load_credentials(settings(users_file=path)).users() == ["alice"]


@pytest.mark.parametrize("name, password", [("ali:ce", "long-enough-1"), (" alice", "long-enough-1"),
                                            ("a,b", "long-enough-1"), ("#admin", "long-enough-1"),
                                            ("alice", "short")])
def test_bad_names_and_weak_passwords_are_refused(tmp_path, name, password):
    with pytest.raises(AuthConfigError):
        set_password(tmp_path / "users.txt", name, password)
    assert not (tmp_path / "users.txt").exists()


def test_plain_text_passwords_are_refused_with_the_command_that_hashes_them(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("# team\ncarol:pass,with,commas\n\ndave: spaced \n", encoding="utf-8")
    with pytest.raises(AuthConfigError) as err:
        load_credentials(settings(users_file=path))
    message = str(err.value)
    assert "plain-text" in message and "hash-passwords" in message and "carol" in message
    assert "pass,with,commas" not in message, "the message never repeats a password"
    assert hash_plain(path) == ["carol", "dave"]
    check = auth_checker(load_credentials(settings(users_file=path)))
    assert check("carol", "pass,with,commas") and check("dave", " spaced")
    assert hash_plain(path) == []


@pytest.mark.parametrize("auth, users, problem", [
    ("alice", None, "user:password"), ("alice:", None, "user:password"), (":pw", None, "user:password"),
    ("", "missing.txt", "No such file"), ("", "empty.txt", "no users"), ("", "broken.txt", "line 1"),
])
def test_malformed_sign_in_settings_say_what_to_fix(tmp_path, auth, users, problem):
    (tmp_path / "empty.txt").write_text("# nobody yet\n", encoding="utf-8")
    (tmp_path / "broken.txt").write_text("no colon here\n", encoding="utf-8")
    with pytest.raises(AuthConfigError, match=problem):
        load_credentials(settings(auth=auth, users_file=tmp_path / users if users else None))


def test_environment_pairs_still_work_beside_the_users_file(tmp_path):
    path = tmp_path / "users.txt"
    set_password(path, "carol", "carol-password")
    check = auth_checker(load_credentials(settings(auth="alice:a1,bob:b2", users_file=path)))
    assert check("alice", "a1") and check("carol", "carol-password") and not check("alice", "b2")


def _cli(args, tmp_path, stdin=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"PYTHONPATH": str(ROOT), "HOME": str(tmp_path)})
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=60, cwd=tmp_path)


def test_add_user_command_writes_a_hash_and_the_app_accepts_it(tmp_path):
    path = tmp_path / "users.txt"
    r = _cli(["add-user", "principal.lee", "--users-file", str(path), "--password-stdin"], tmp_path,
             "a-long-password\n")
    assert r.returncode == 0, r.stderr
    assert "Added principal.lee" in r.stdout
    assert "a-long-password" not in path.read_text(encoding="utf-8")
    assert auth_checker(load_credentials(settings(users_file=path)))("principal.lee", "a-long-password")
    weak = _cli(["add-user", "coach", "--users-file", str(path), "--password-stdin"], tmp_path, "short\n")
    assert weak.returncode == 1 and "at least 8 characters" in weak.stderr
    nowhere = _cli(["add-user", "coach", "--password-stdin"], tmp_path, "long-enough-pw\n")
    assert nowhere.returncode == 1 and "ASSISTANT_SERVER__USERS_FILE" in nowhere.stderr
    path.write_text(path.read_text(encoding="utf-8") + "legacy:old-plain-pw\n", encoding="utf-8")
    r = _cli(["hash-passwords", "--users-file", str(path)], tmp_path)
    assert r.returncode == 0 and "legacy" in r.stdout and "old-plain-pw" not in path.read_text(encoding="utf-8")
    r = _cli(["remove-user", "legacy", "--users-file", str(path)], tmp_path)
    assert r.returncode == 0 and "legacy" not in path.read_text(encoding="utf-8")


def test_the_app_refuses_to_start_with_plain_text_passwords(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("alice:wonderland\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "ASSISTANT_SERVER__USERS_FILE": str(path)})
    r = subprocess.run([sys.executable, str(ROOT / "app.py"), "--port", "1"], capture_output=True, text=True,
                       env=env, timeout=60, cwd=tmp_path)
    assert r.returncode == 2
    assert "plain-text passwords" in r.stderr and "hash-passwords" in r.stderr and "wonderland" not in r.stderr
