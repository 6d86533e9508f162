"""Who may sign in: `ASSISTANT_SERVER__AUTH` pairs (for trying the app out) and the users file, one
`user:scrypt$…` line per person (salted hashes only; `python -m assistant add-user` writes them).

A users file line holding a plain-text password is refused at start-up with the command that hashes it
(`python -m assistant hash-passwords`), so a district never runs with readable passwords on disk.
"""

from __future__ import annotations

import hmac
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assistant.app import passwords

MAX_NAME = 64


class AuthConfigError(ValueError):
    """Malformed sign-in settings; the message says what to fix."""


@dataclass
class Credentials:
    """Everyone who may sign in: plain passwords from the environment, salted hashes from the users file."""

    plain: dict[str, str] = field(default_factory=dict)
    hashed: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.plain or self.hashed)

    def users(self) -> list[str]:
        return sorted({*self.plain, *self.hashed})


def parse_credentials(text: str, where: str) -> list[tuple[str, str]]:
    """'user:pw,user2:pw2' (or one pair per line) into pairs; blank entries and '#' comment lines are skipped."""
    pairs: list[tuple[str, str]] = []
    for n, raw in enumerate(text.replace("\r", "").replace(",", "\n").split("\n"), 1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise AuthConfigError(f"{where}: entry {n} must look like user:password")
        pairs.append((user.strip(), password))
    return pairs


def read_lines(path: Path) -> list[tuple[int, str, str]]:
    """(line number, user, stored value) of every entry of a users file; comments and blank lines skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthConfigError(f"users file {path}: {exc.strerror or exc}") from None
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, stored = entry.partition(":")
        if not sep or not user.strip() or not stored:
            raise AuthConfigError(f"users file {path}, line {n}: must look like user:scrypt$… "
                                  "(add people with: python -m assistant add-user NAME)")
        out.append((n, user.strip(), stored))
    return out


def load_credentials(server) -> Credentials:
    """Everyone from settings.server.auth and settings.server.users_file (empty: no sign-in)."""
    creds = Credentials(plain=dict(parse_credentials(server.auth, "ASSISTANT_SERVER__AUTH")) if server.auth else {})
    if not server.users_file:
        return creds
    path = Path(server.users_file).expanduser()
    lines = read_lines(path)
    plain = [f"line {n} ({user})" for n, user, stored in lines if not passwords.is_hashed(stored)]
    if plain:
        raise AuthConfigError(
            f"users file {path} holds plain-text passwords ({', '.join(plain[:5])}"
            f"{', …' if len(plain) > 5 else ''}). Replace them with salted hashes: "
            f"python -m assistant hash-passwords --users-file {path}")
    if not lines:
        raise AuthConfigError(f"users file {path} has no users (add one: python -m assistant add-user NAME "
                              f"--users-file {path})")
    creds.hashed.update({user: stored for _n, user, stored in lines})
    return creds


def auth_checker(creds: Credentials) -> Callable[[str, str], bool]:
    """The sign-in check for Gradio's `auth=`: constant-time for plain pairs, scrypt for hashed ones."""
    plain = {u: p.encode("utf-8") for u, p in creds.plain.items()}
    hashed = dict(creds.hashed)

    def check(username: str, password: str) -> bool:
        user = username or ""
        if user in plain:
            return hmac.compare_digest(plain[user], (password or "").encode("utf-8"))
        return passwords.verify(password or "", hashed.get(user))  # unknown users cost the same time

    return check


def check_name(user: str) -> str:
    """Why a user name cannot go in the users file ('' when it can)."""
    if not user or user != user.strip():
        return "a user name may not be empty or begin or end with a space"
    if ":" in user or "," in user or any(ch in user for ch in "\r\n\t") or user.startswith("#"):
        return "a user name may not contain ':', ',', tabs or line breaks, nor begin with '#'"
    if len(user) > MAX_NAME:
        return f"a user name has at most {MAX_NAME} characters"
    return ""


def set_password(path: Path, user: str, password: str) -> bool:
    """Add `user` (or change their password) with a fresh salted hash; True when the user was new."""
    problem = check_name(user) or passwords.weakness(password)
    if problem:
        raise AuthConfigError(problem)
    lines = _raw_lines(path)
    entry = f"{user}:{passwords.hash_password(password)}"
    new = True
    for i, line in enumerate(lines):
        if _user_of(line) == user:
            lines[i], new = entry, False
    if new:
        lines.append(entry)
    write_atomically(path, lines)
    return new


def remove_user(path: Path, user: str) -> bool:
    """Remove `user` from the users file; True when they were there."""
    lines = _raw_lines(path)
    kept = [line for line in lines if _user_of(line) != user]
    if len(kept) == len(lines):
        return False
    write_atomically(path, kept)
    return True


def hash_plain(path: Path) -> list[str]:
    """Replace every plain-text password in the users file by its salted hash; returns the users changed."""
    lines = _raw_lines(path)
    changed = []
    for i, line in enumerate(lines):
        user = _user_of(line)
        stored = line.strip().partition(":")[2]
        if user and stored and not passwords.is_hashed(stored):
            lines[i] = f"{user}:{passwords.hash_password(stored)}"
            changed.append(user)
    if changed:
        write_atomically(path, lines)
    return changed


def write_atomically(path: Path, lines: list[str]) -> None:
    """Write the users file readable by its owner only, replacing it in one step (no half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _raw_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ["# District Leadership Assistant sign-in: user:salted-hash (python -m assistant add-user NAME)"]


def _user_of(line: str) -> str:
    entry = line.strip()
    if not entry or entry.startswith("#") or ":" not in entry:
        return ""
    return entry.partition(":")[0].strip()
