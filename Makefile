# The two set-up commands of the README, and the steps they are made of.
# Every install step the project needs lives here and in pyproject.toml / scripts/.

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: serve test install install-test lint docs system-packages clean

serve: install                 ## install, then run the service on the embedded defaults
	$(BIN)/docuforge serve

test: install-test lint        ## install, then run the whole test suite
	$(BIN)/pytest

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

docs: install                  ## regenerate the README's settings table and command-line reference
	$(BIN)/python scripts/update_readme.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

system-packages:
	bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml scripts/system-packages.sh
	bash scripts/system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	bash scripts/system-packages.sh --test
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
