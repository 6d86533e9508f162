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

# Debian packages the tests use (never a browser download by a test tool): Chromium for the browser tests; poppler,
# LibreOffice Writer and the fonts the exports are printed with for the print-layout tests.
PRINT_DEBS := poppler-utils libreoffice-writer-nogui fonts-crosextra-carlito fonts-dejavu-core
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 \
	  && fc-list 2>/dev/null | grep -qi carlito; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && export DEBIAN_FRONTEND=noninteractive \
	  && apt-get install -y -qq chromium >/dev/null && apt-get install -y -qq --no-install-recommends $(PRINT_DEBS) >/dev/null; \
	else echo "note: install Debian's chromium $(PRINT_DEBS) (sudo apt-get install ...) for the browser and print tests"; fi

test: install browser
	$(PY) -m pytest -q -p no:cacheprovider

bench: install
	$(PY) -m evals.bench

eval: install
	$(PY) -m evals run
