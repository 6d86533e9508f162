# Two entry points (see README): `make run` installs into .venv and launches the app; `make test` installs and
# runs the whole test suite. Both are safe to re-run: installs are skipped while pyproject.toml is unchanged.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test browser bench eval

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) app.py

# Debian's Chromium for the browser tests (never a browser download by a test tool).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium (sudo apt-get install chromium) to run the browser tests"; fi; }

test: install browser
	$(PY) -m pytest -q -p no:cacheprovider

bench: install
	$(PY) -m evals.bench

eval: install
	$(PY) -m evals run
