"""Where the files shipped with the project live: a checkout (or editable install) or an installed wheel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_ROOT.parent
# A wheel installs corpus/, prompts/ and the eval data under <prefix>/share/<DIST_NAME>/ (pyproject data-files).
DIST_NAME = "district-leadership-assistant"


def data_root() -> Path:
    """The folder holding corpus/ and prompts/: the checkout when there is one, else the installed share folder."""
    if (_CHECKOUT / "prompts").is_dir() and (_CHECKOUT / "corpus").is_dir():
        return _CHECKOUT
    for prefix in (sys.prefix, sys.base_prefix, os.path.expanduser("~/.local")):
        share = Path(prefix) / "share" / DIST_NAME
        if (share / "prompts").is_dir():
            return share
    raise FileNotFoundError(
        f"The project's data files (corpus/, prompts/) were found neither beside {PACKAGE_ROOT} nor under "
        f"{Path(sys.prefix) / 'share' / DIST_NAME}. Reinstall the package (pip install .) or run from a checkout.")


def prompts_dir() -> Path:
    """The prompt and wording templates (prompts/)."""
    return data_root() / "prompts"


def corpus_dir() -> Path:
    """The five framework documents and their manifest (corpus/)."""
    return data_root() / "corpus"


def state_root() -> Path:
    """Where the index and saved work go by default: the checkout, or a per-user data folder when installed."""
    if os.access(_CHECKOUT, os.W_OK) and (_CHECKOUT / "corpus").is_dir():
        return _CHECKOUT
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(base) / DIST_NAME
