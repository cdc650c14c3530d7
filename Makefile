# connectsec developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN    := $(VENV)/.run-installed
DEV    := $(VENV)/.dev-installed

.PHONY: demo test check lint typecheck bench fuzz system-deps fixtures clean

$(RUN): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(DEV): $(RUN)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

## Scan the bundled, deliberately vulnerable demo app; reports in ./reports/.
demo: $(RUN)
	@rc=0; $(BIN)/connectsec demo --json reports/report.json --markdown reports/report.md || rc=$$?; \
	if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	echo "reports: reports/report.json reports/report.md (exit code $$rc: the demo app is deliberately vulnerable)"

## Everything CI runs: system packages, test fixtures, lint, types, the whole test suite.
test: $(DEV) system-deps fixtures lint typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2

## Faster inner loop: lint, types and the tests not marked slow.
check: $(DEV) lint typecheck
	$(BIN)/python -m pytest -q -x -m "not slow" -n 2

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy

system-deps:
	@bash scripts/system-deps.sh

## The atlassian-connect-express fixture app's dependencies, as its lockfile pins them (source-mode tests).
fixtures: system-deps
	@test -d tests/fixtures/ace-app/node_modules || \
	  (cd tests/fixtures/ace-app && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

## Benchmarks: scans of local targets with 50, 200 and 800 endpoints; a full auth scan of ~200;
## R1.1 on one loopback host against sslyze; R8 on a 20,000-commit repository against git log -p and
## detect-secrets.
bench: $(DEV) system-deps
	$(BIN)/python bench/scan_scaling.py
	$(BIN)/python bench/auth_scan.py
	$(BIN)/python bench/tls_scan.py
	$(BIN)/python bench/secrets_scan.py

## Atheris (or plain random bytes) against the descriptor and header parsers; FUZZ_ARGS=-runs=1000000.
fuzz: $(DEV)
	-$(BIN)/python -m pip install -q -e '.[fuzz]'
	$(BIN)/python fuzz/run.py descriptor $${FUZZ_ARGS:--runs=100000}
	$(BIN)/python fuzz/run.py headers $${FUZZ_ARGS:--runs=100000}

clean:
	rm -rf $(VENV) reports .mypy_cache .ruff_cache .pytest_cache tests/fixtures/ace-app/node_modules
