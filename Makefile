# Every target installs what it needs into .venv first; nothing is done by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench load fit fmt clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Without HELPDESK_CONFIG, the demo set-up: one team with the web agents' page as its desk.
run: $(STAMP)
	HELPDESK_CONFIG="$${HELPDESK_CONFIG:-demo/helpdesk.toml}" $(BIN)/helpdesk-bot db migrate
	HELPDESK_CONFIG="$${HELPDESK_CONFIG:-demo/helpdesk.toml}" $(BIN)/helpdesk-bot run

# One test process per core (pytest-xdist); PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Matching quality and speed on every data set (bench/run.py; BENCH_ARGS: --help, --only scale).
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Questions per second through the web chat's HTTP path (bench/load.py; LOAD_ARGS: --help).
load: $(STAMP)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# Refit the matcher's confidence curves and thresholds on validation data (bench/fit.py).
fit: $(STAMP)
	$(BIN)/python bench/fit.py

fmt: $(STAMP)
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

clean:
	rm -rf $(VENV) build *.egg-info
