"""What callers send, checked at the edges (the app's API and chat, the command line) before anything else runs:
a question, the conversation so far, a framework name. Each refusal is an InputError whose message says what was
wrong and what to send instead."""

from __future__ import annotations


ROLES = ("user", "assistant")
MAX_TURNS = 200  # earlier messages accepted in a history (only the latest few are read)
MAX_TURN_CHARS = 50_000
HISTORY_SHAPE = 'a list of {"role": "user" or "assistant", "content": text} objects'


class InputError(ValueError):
    """A question that cannot be answered as given (empty, too long); the message is for the user."""


def validate_question(question: str, max_chars: int) -> str:
    """The stripped question, or InputError with a message a person can act on."""
    q = (question or "").strip()
    if not q:
        raise InputError("Please type a question.")
    if len(q) > max_chars:
        raise InputError(f"That message is {len(q):,} characters long; the limit is {max_chars:,}. "
                         "Please shorten it to the question you want answered (paste only the relevant part).")
    return q


def text(value, what: str) -> str:
    """`value` when it is a str that can be written as UTF-8 (no unpaired surrogates), else InputError."""
    if not isinstance(value, str):
        raise InputError(f"The {what} must be text, not {_kind(value)}.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"The {what} contains a character that is not valid text (an unpaired surrogate at "
                         f"position {exc.start}); remove it and send it again.") from None
    return value


def question(value, max_chars: int) -> str:
    """The stripped question, or InputError (not text, not valid Unicode, empty, too long)."""
    if value is None:
        value = ""
    return validate_question(text(value, "question"), max_chars)


def history(value) -> list[dict]:
    """The earlier turns as [{role, content}] (None or empty: no history), or InputError naming the bad turn."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        raise InputError(f"The history must be {HISTORY_SHAPE}, not {_kind(value)}.")
    if len(value) > MAX_TURNS:
        raise InputError(f"The history has {len(value):,} messages; send at most the latest {MAX_TURNS}.")
    out = []
    for n, turn in enumerate(value, 1):
        if not isinstance(turn, dict) or "role" not in turn or "content" not in turn:
            raise InputError(f"History message {n} must be an object with \"role\" and \"content\", "
                             f"not {_kind(turn)}; the history is {HISTORY_SHAPE}.")
        role = turn["role"]
        if role not in ROLES:
            raise InputError(f"History message {n} has role {role!r}; use \"user\" or \"assistant\".")
        content = text(turn["content"], f"content of history message {n}")
        if len(content) > MAX_TURN_CHARS:
            raise InputError(f"History message {n} is {len(content):,} characters long; the limit is "
                             f"{MAX_TURN_CHARS:,}.")
        out.append({"role": role, "content": content})
    return out


def framework(value) -> str | None:
    """A framework name to search in (None or empty: all), or InputError when it is not text."""
    if value in (None, ""):
        return None
    return text(value, "framework name").strip() or None


def _kind(value) -> str:
    if value is None:
        return "nothing (null)"
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")
