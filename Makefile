# Two commands on a fresh machine: `make run` and `make test`.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
PORT      ?= 8000
PG_URL    ?= $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/chongdich)
STAMP     := $(VENV)/.installed

.PHONY: install run test test-unit test-pg test-e2e lint bench demo chromium clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/chongdich migrate --noinput
	$(BIN)/chongdich load-units
	$(BIN)/chongdich demo --province 26 --cases 2000 --seed 1 --live --if-empty
	@echo "Chống Dịch: http://127.0.0.1:$(PORT)/  (demo accounts in README.md)"
	@# The background worker (imports, notifications, scheduled jobs) runs next to the web server
	@# and stops with it.
	$(BIN)/chongdich db_worker --queue-name '*' --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/chongdich runserver 127.0.0.1:$(PORT) --noreload

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: install
	$(BIN)/ruff check .

test-unit: install
	$(BIN)/pytest -q -m "not e2e"

test-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not e2e"

test-e2e: install chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m e2e
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m e2e

test: lint test-unit test-pg test-e2e

bench: install
	$(BIN)/python -m bench

demo: install
	$(BIN)/chongdich migrate --noinput
	$(BIN)/chongdich load-units
	$(BIN)/chongdich demo --province 26 --cases 2000 --seed 1

clean:
	rm -rf $(VENV) var
