# Two commands: `make run` and `make test`. Everything installs into .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install browser axe serve migrate seed bench clean

# --no-compile: byte-compiling every installed file (scipy, scikit-learn) took half of the install (40 -> 21 s on a
# fresh clone); Python compiles the modules it imports when it first imports them.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Kindred needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

migrate: install
	$(BIN)/flask --app forum db upgrade

seed: migrate
	$(BIN)/flask --app forum seed-demo

# Install, migrate, add the demo community and serve on http://127.0.0.1:5000
run: seed
	$(BIN)/flask --app forum run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium (never a downloaded browser); install it where we may.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "No chromium and no root apt-get: the browser tests will say they skipped."; fi

# axe-core for the accessibility tests (tests/test_axe.py), from the npm registry into tests/.axe (git-ignored);
# without npm or the network those tests say they skipped.
AXE := tests/.axe/node_modules/axe-core/axe.min.js
axe:
	@if [ -f $(AXE) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		npm install --prefix tests/.axe --no-audit --no-fund --silent axe-core@4 \
		|| echo "Could not install axe-core: the accessibility tests will say they skipped."; \
	else echo "No npm: the accessibility tests will say they skipped."; fi

# Install, lint with ruff (configured in pyproject.toml; any finding fails the run) and run
# the whole test suite (PostgreSQL and Redis tests run when TEST_DATABASE_URL / TEST_REDIS_URL are set),
# in TEST_WORKERS processes (pytest-xdist; each has its own databases); TEST_WORKERS=0 runs it in this one.
# Three beat two on two cores (the PostgreSQL, server and browser tests wait a lot); four were slower than three
# (10m47 against 10m04 of pytest for 3,300 tests on 2026-12-07: by then the suite is bound by the CPU).
TEST_WORKERS ?= 3
test: install browser axe
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

# Serve with gunicorn, as in production (set SECRET_KEY and FLASK_CONFIG=production)
serve: migrate
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 4 'forum:create_app()'

bench: install
	$(BIN)/python bench/seed_large.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/crisis_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache tests/.axe
