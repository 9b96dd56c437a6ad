# Kinerja: two commands on a fresh machine.
#   make demo   install, migrate the SQLite database, load the four seed offices, serve on :8000
#   make test   install the test tools and run every test (set DATABASE_URL for PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n 2

.PHONY: demo test install install-test serve lint check format lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	./scripts/system-deps.sh run
	$(BIN)/pip install --quiet -c constraints.txt -e .
	$(BIN)/kinerja i18n

install-test: $(BIN)/python
	./scripts/system-deps.sh test
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/kinerja i18n

demo: install
	$(BIN)/kinerja migrate --noinput
	$(BIN)/kinerja collectstatic --noinput --verbosity 0
	$(BIN)/kinerja demo
	@echo "Kinerja is starting on http://$(HOST)/ (stop with Ctrl+C)"
	$(BIN)/kinerja runserver $(HOST)

serve: install
	$(BIN)/kinerja migrate --noinput
	$(BIN)/kinerja collectstatic --noinput --verbosity 0
	$(BIN)/kinerja runserver $(HOST)

test: install-test
	$(MAKE) --no-print-directory check
	# Bytecode and pytest's rewritten test modules are cached even where the environment says
	# not to write them: every worker otherwise compiles the whole tree again (seconds per run).
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(PYTEST_ARGS)

# The code checks (CONTRIBUTING.md): style, types, the layer map, the size of functions.
check:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kinerja
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_complexity.py

lint: check

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh constraints.txt from the current environment after changing pyproject.toml.
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
