# Bookwise. `make run`: the demo company on SQLite, served. `make test`: the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench fuzz clean

# Python keeps its compiled modules (the gitignored __pycache__ folders) even where the
# environment says not to (PYTHONDONTWRITEBYTECODE): the suite starts hundreds of Python
# processes (test workers, `bookwise` commands, servers), and each would compile the source
# and rewrite the tests' asserts again (docs/performance.md).
unexport PYTHONDONTWRITEBYTECODE

## The pinned packages of requirements.lock, installed by uv (pip installs uv, a well-kept
## installer that resolves and unpacks in parallel: about 10 s here where pip took 35 s).
UV_VERSION := 0.13.9
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(UV) -r requirements.lock
	$(UV) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Build the demo company on SQLite (once) and serve it: gunicorn and a job worker, as in
## production (docs/deployment.md), with the queue and the cache in files beside the database.
run: $(STAMP)
	$(BIN)/bookwise migrate --no-input
	$(BIN)/bookwise demo

## The whole suite: SQLite always (with the browser tests), PostgreSQL too when
## BOOKWISE_TEST_DATABASE_URL is set (the tests that use the test database, but the browser
## tests; the live API tests there go through the production processes: gunicorn with 2
## workers, a job worker, Redis). Every run spreads the tests over one process per core
## (pytest-xdist; a module stays on one process, so its fixtures are built once); in the
## live run each process starts its own production processes on its own test database.
## The PostgreSQL run tries a third of each property test's examples (tests/properties.py).
TEST_PROCESSES ?= auto
PARALLEL := -n $(TEST_PROCESSES) --dist loadscope
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src
	env -u BOOKWISE_TEST_DATABASE_URL $(BIN)/pytest $(PARALLEL)
	@if [ -n "$$BOOKWISE_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$BOOKWISE_TEST_DATABASE_URL)"; \
		$(BIN)/pytest $(PARALLEL) --ignore=tests/browser --ignore=tests/live && \
		echo "== the live API tests through the production processes on PostgreSQL" && \
		BOOKWISE_TEST_TOPOLOGY=production $(BIN)/pytest $(PARALLEL) tests/live; \
	fi

## ruff (the rules and the format), and the layers of the apps (pyproject.toml
## [tool.importlinter]; docs/architecture.md).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

## schemathesis against /api/openapi.json as an admin and a rep, tokens and sessions.
fuzz: $(STAMP)
	$(BIN)/python bench/api_fuzz.py

typecheck: $(STAMP)
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) build *.egg-info
