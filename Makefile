# procmap: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# extras of the development install; .ci/run adds `spark` (pyspark, 300+ MB, once)
EXTRAS ?= dev

.PHONY: run test lint bench schema docs i18n clean system-deps sdist sdist-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	touch $@ $(STAMP)
	echo '$(EXTRAS)' > $(VENV)/.extras

system-deps:
	@bash scripts/system-deps.sh

# the examples' settings (costs in CNY); procmap.toml is found from the current directory
EXAMPLES_CONFIG := --config examples/procmap.toml

## run: install procmap and run every command over examples/ into out/ (audit, render, handbook,
## raci, schema, import, simulate), and check a
## log simulated from them (procmap conform -> out/conform.html)
run: $(STAMP) system-deps
	@mkdir -p out
	$(BIN)/procmap validate examples
	$(BIN)/procmap audit examples $(EXAMPLES_CONFIG) --fail-on never --format markdown -o out/audit.md
	$(BIN)/procmap audit examples $(EXAMPLES_CONFIG) --fail-on never --format html -o out/audit.html
	$(BIN)/procmap audit examples $(EXAMPLES_CONFIG) --fail-on never --format json -o out/audit.json
	$(BIN)/procmap audit examples $(EXAMPLES_CONFIG) --fail-on never
	$(BIN)/procmap render examples -o out --format svg --highlight
	$(BIN)/procmap render examples -o out --format png --highlight
	$(BIN)/procmap render examples -o out --format html --highlight
	$(BIN)/procmap render examples -o out --format mmd
	$(BIN)/procmap render examples -o out --format bpmn
	$(BIN)/procmap handbook examples $(EXAMPLES_CONFIG) --lang zh -o out/handbook
	$(BIN)/procmap handbook examples $(EXAMPLES_CONFIG) --lang en -o out/handbook-en
	$(BIN)/procmap audit examples $(EXAMPLES_CONFIG) --fail-on never --lang zh --format html -o out/audit-zh.html
	$(BIN)/procmap raci examples $(EXAMPLES_CONFIG) --format markdown -o out/raci.md
	$(BIN)/procmap raci examples $(EXAMPLES_CONFIG) --lang zh --format markdown -o out/raci-zh.md
	$(BIN)/procmap schema -o out/procmap-1.schema.json
	$(BIN)/procmap import out/complaint-handling.bpmn -o out/imported --force
	$(BIN)/procmap validate out/imported
	$(BIN)/procmap doctor
	$(BIN)/procmap simulate examples $(EXAMPLES_CONFIG) --fail-on never --format html -o out/simulate.html
	$(BIN)/procmap simulate examples $(EXAMPLES_CONFIG) --fail-on never --format markdown -o out/simulate.md
	$(BIN)/procmap simulate examples $(EXAMPLES_CONFIG) --fail-on never --format json -o out/simulate.json \
		--log out/example-log.csv
	$(BIN)/procmap conform out/example-log.csv examples $(EXAMPLES_CONFIG) --fail-on never --format html -o out/conform.html
	@echo "procmap: reports and diagrams are in out/"

## test: install the dev extras and run the whole suite; ends with what was skipped and why
## (PROCMAP_OFFLINE=1 skips the tests that download; PYTEST_ARGS="-k ..." narrows the run)
test: $(DEVSTAMP) system-deps
	@grep -qx '$(EXTRAS)' $(VENV)/.extras 2>/dev/null || $(BIN)/pip install -q -e '.[$(EXTRAS)]'
	@echo '$(EXTRAS)' > $(VENV)/.extras
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff over the code, tests, benchmarks and scripts; mypy --strict over the same
lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python scripts/typecheck.py
	$(BIN)/python scripts/complexity.py
	$(BIN)/python scripts/i18n.py --check

## bench: time validate, audit, render and the refusal of hostile files (docs/benchmarks.md)
bench: $(DEVSTAMP) system-deps
	$(BIN)/python bench/run.py

## sdist: build dist/procmap-<version>.tar.gz and the wheel (docs/release.md)
sdist: $(DEVSTAMP)
	$(BIN)/python -m pip install -q 'build>=1.2'
	$(BIN)/python -m build --outdir dist

## sdist-check: build the sdist, check its listing, run tests from the unpacked archive
sdist-check: $(DEVSTAMP)
	$(BIN)/python -m pip install -q 'build>=1.2'
	$(BIN)/python scripts/check_sdist.py

schema: $(STAMP)
	$(BIN)/procmap schema > schema/procmap-1.schema.json

docs: $(STAMP)
	$(BIN)/python scripts/gen_rule_docs.py

## i18n: extract the messages (src/procmap/locale/procmap.pot) and compile the catalogs
## (src/procmap/locale/<lang>/po/*.po -> procmap.mo); --missing lists what lacks Chinese
i18n: $(DEVSTAMP)
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf $(VENV) out dist build .pytest_cache .mypy_cache .ruff_cache
