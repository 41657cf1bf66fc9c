# mille-jours — the two commands of the quick start, and the Dagster UI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: publish test lint dev serve benchmark clean

# The virtual environment: every dependency and the build backend (setuptools) from requirements.lock,
# each file checked against its hash; then the project itself, built by that setuptools, nothing more
# downloaded (an editable install cannot be hash-checked, hence the second step). The lock is the
# whole tree (uv pip compile): --no-deps, since pip's hash mode refuses a dependency with extras
# (gql[requests]) even when it is pinned; `pip check` then proves nothing is missing.
PIP := $(BIN)/python -m pip --disable-pip-version-check
$(INSTALLED): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $(INSTALLED)

# Validata in its own environment (its pins clash with the project's): the tests run it on the SCDL file.
VALIDATA := .venv-validata
$(VALIDATA)/.installed: requirements-validata.lock
	@test -x $(VALIDATA)/bin/python || $(PYTHON) -m venv $(VALIDATA)
	$(VALIDATA)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-validata.lock
	$(VALIDATA)/bin/python -m pip check --disable-pip-version-check
	@touch $(VALIDATA)/.installed

publish: $(INSTALLED)
	$(BIN)/mille-jours publish

# The test files shared out between TEST_PROCESSES processes (pytest-xdist), each file's tests kept
# together in one of them (its fixtures built once): `make test TEST_PROCESSES=0` runs them in one.
TEST_PROCESSES ?= 2
test: $(INSTALLED) $(VALIDATA)/.installed
	$(BIN)/python -m pytest $(if $(filter 0,$(TEST_PROCESSES)),,-n $(TEST_PROCESSES) --dist loadfile)

# Lint and format (ruff), types of the library (mypy): what the pre-commit hooks run, and CI
# before the tests. `ruff format .` and `ruff check --fix .` repair most findings.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The instance configured as `make publish` configures it (run monitoring, queue, PostgreSQL when
# DAGSTER_PG_URL is set), then the UI and the daemon.
dev: $(INSTALLED)
	PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" $(BIN)/python -m assets.instance dg dev --host 127.0.0.1 --port 3000

# The contributor page on 127.0.0.1:8000: drop a list as published, check its reading, propose it.
serve: $(INSTALLED)
	$(BIN)/mille-jours serve

# The earlier version the publication is compared with: `make benchmark BASELINE=<commit>`.
BASELINE ?= HEAD~1
benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/versions.py --baseline $(BASELINE)
	$(BIN)/python benchmarks/readers.py
	$(BIN)/python benchmarks/national.py
	$(BIN)/python benchmarks/large_list.py --baseline $(BASELINE)
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) $(VALIDATA) .dagster .pytest_cache
