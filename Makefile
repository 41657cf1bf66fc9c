# mille-jours — the two commands of the quick start, and the Dagster UI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: publish test dev benchmark clean

# The virtual environment, with the pinned dependencies (requirements.lock) and the project.
$(INSTALLED): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $(INSTALLED)

publish: $(INSTALLED)
	$(BIN)/mille-jours publish

test: $(INSTALLED)
	$(BIN)/python -m pytest

dev: $(INSTALLED)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/readers.py

clean:
	rm -rf $(VENV) .dagster .pytest_cache
