"""`python -m assistant` entry point."""

import sys

from assistant.cli.main import run

sys.exit(run())
