"""Command line: `python -m assistant ingest|search|ask|docs|practices|crosswalk|toa|assess`."""
