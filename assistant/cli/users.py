"""`python -m assistant add-user|remove-user|hash-passwords`: manage the users file (salted hashes only)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path


def _users_file(args) -> Path | None:
    if args.users_file:
        return Path(args.users_file).expanduser()
    from assistant.config import load_settings

    configured = load_settings().server.users_file
    if configured:
        return Path(configured).expanduser()
    print("error: no users file: pass --users-file PATH or set ASSISTANT_SERVER__USERS_FILE", file=sys.stderr)
    return None


def _password(args) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        print("error: no terminal to ask for the password: pipe it with --password-stdin", file=sys.stderr)
        return None
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != first:
        print("error: the two passwords differ", file=sys.stderr)
        return None
    return first


def cmd_add_user(args) -> int:
    from assistant.app.users_file import AuthConfigError, set_password

    path = _users_file(args)
    password = _password(args) if path else None
    if path is None or password is None:
        return 1
    try:
        new = set_password(path, args.name, password)
    except AuthConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'Added' if new else 'Changed the password of'} {args.name} in {path}.")
    return 0


def cmd_remove_user(args) -> int:
    from assistant.app.users_file import remove_user

    path = _users_file(args)
    if path is None:
        return 1
    if not remove_user(path, args.name):
        print(f"error: {args.name} is not in {path}", file=sys.stderr)
        return 1
    print(f"Removed {args.name} from {path}. Their saved work stays until you delete it.")
    return 0


def cmd_hash_passwords(args) -> int:
    from assistant.app.users_file import hash_plain

    path = _users_file(args)
    if path is None:
        return 1
    if not path.exists():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    changed = hash_plain(path)
    print(f"Hashed the passwords of {', '.join(changed)} in {path}." if changed
          else f"Every password in {path} is already a salted hash.")
    return 0


def add_commands(sub) -> None:
    """Register the users-file commands on the `python -m assistant` parser."""
    s = sub.add_parser("add-user", help="add a person to the users file (or change their password)")
    s.add_argument("name")
    s.add_argument("--users-file", default=None, help="default: ASSISTANT_SERVER__USERS_FILE")
    s.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    s.set_defaults(func=cmd_add_user)

    s = sub.add_parser("remove-user", help="remove a person from the users file")
    s.add_argument("name")
    s.add_argument("--users-file", default=None)
    s.set_defaults(func=cmd_remove_user)

    s = sub.add_parser("hash-passwords", help="replace plain-text passwords in the users file by salted hashes")
    s.add_argument("--users-file", default=None)
    s.set_defaults(func=cmd_hash_passwords)
