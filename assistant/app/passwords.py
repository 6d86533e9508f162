"""Salted password hashes for the users file: scrypt (Python's standard library), stored as one self-describing
string `scrypt$n$r$p$salt$hash`, checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCHEME = "scrypt"
# 2**14 x 8 takes ~16 MB and ~50 ms per check: cheap for one sign-in, costly for guessing at scale.
COST, BLOCK, PARALLEL = 2**14, 8, 1
MIN_LENGTH = 8


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A fresh salted scrypt hash of `password` in the users-file form."""
    salt = salt if salt is not None else os.urandom(16)
    digest = _scrypt(password, salt, COST, BLOCK, PARALLEL)
    return f"{SCHEME}${COST}${BLOCK}${PARALLEL}${_b64(salt)}${_b64(digest)}"


def is_hashed(value: str) -> bool:
    """True when `value` is a hash this module wrote (anything else in a users file is a plain-text password)."""
    return _parse(value) is not None


def verify(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash; an unknown user (`stored` None) costs the same time."""
    parsed = _parse(stored) if stored else None
    if parsed is None:
        _scrypt(password or "", b"\0" * 16, COST, BLOCK, PARALLEL)  # same work either way: no timing hint
        return False
    n, r, p, salt, expected = parsed
    return hmac.compare_digest(_scrypt(password or "", salt, n, r, p), expected)


def weakness(password: str) -> str:
    """Why a new password is refused ('' when it is acceptable)."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if password != password.strip():
        return "a password may not begin or end with a space"
    if "\n" in password or "\r" in password:
        return "a password may not contain a line break"
    return ""


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r * p + 2**20, dklen=32)


def _parse(value: str | None):
    parts = (value or "").split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    # Bounds keep a tampered file from asking for gigabytes of memory at sign-in.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and salt and len(digest) == 32):
        return None
    return n, r, p, salt, digest


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from None
