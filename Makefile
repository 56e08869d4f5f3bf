# Two commands on a fresh machine: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with production-like settings (CSP enforced, DEBUG off) but plain HTTP and unhashed static files.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-not-secret SECURE=false PLAIN_STATIC=true

WORKERS ?= 2
# `make serve`: production settings over plain HTTP on this machine (behind a TLS proxy, set SECURE=true).
# Emailed links start from SITE_URL, never a request's Host: this address unless SITE_URL is set.
SITE_ENV := SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
SERVE_ENV := DEBUG=false SECURE=$${SECURE:-false} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),localhost} \
	SECRET_KEY=$${SECRET_KEY:-$$(cat $(STAMPS)/secret-key)} $(SITE_ENV)

.PHONY: help setup run serve test test-moments lint bench lighthouse loadtest migrate demo clean catalogues messages
help:
	@echo "make run    set up, migrate, load the demo diary and serve on http://$(HOST):$(PORT)"
	@echo "make serve  production settings: collectstatic, migrate, gunicorn with $(WORKERS) workers on $(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make test AT=2027-03-28T01:30 TZ_AT=Europe/London   the suite as if it were that local moment"
	@echo "make test-moments  the suite without browser tests at month ends, clock changes, New Year, a leap day"
	@echo "make lint   ruff and mypy"
	@echo "make bench  page timings at 1 month and 5 years of diary, a 20-year heavy diary's reports and downloads, its import as a"
	@echo "            background job beside another person's log-in, a reminder tick for 100,000 people, then make lighthouse"
	@echo "make lighthouse  Lighthouse 12 (mobile) on Trends, Today, the summary and the front page: demo diary, production settings, logged in"
	@echo "make loadtest  make serve under 20 people for 30 s, SQLite then PostgreSQL, a worker killed half-way"

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The front-end files the app serves come from package-lock.json, never a CDN; static/vendor/ is not committed.
static/vendor/chart.umd.min.js: $(STAMPS)/npm
	@mkdir -p static/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/
	@touch $@

# The languages' catalogues (.po, committed) compiled to .mo in Python (polib): no GNU gettext needed to run.
catalogues: $(STAMPS)/venv
	DEBUG=true $(BIN)/python manage.py compile_catalogues

setup: $(STAMPS)/venv static/vendor/chart.umd.min.js catalogues

# After changing words: gather every marked string into the catalogues (needs GNU gettext: apt-get install gettext),
# then translate what is new in each .po (tests/test_catalogues.py says what is missing).
MESSAGE_IGNORE := -i node_modules -i .venv -i staticfiles -i 'static/vendor/*' -i tests -i docs -i build
messages: $(STAMPS)/venv
	DEBUG=true $(BIN)/python manage.py makemessages -l es -l de --no-wrap --no-obsolete -e html,txt,py,js \
		$(MESSAGE_IGNORE) -i 'static/*'
	DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l es -l de --no-wrap --no-obsolete \
		$(MESSAGE_IGNORE) -i templates

migrate: setup
	DEBUG=true $(BIN)/python manage.py migrate --no-input -v 0

demo: migrate
	DEBUG=true $(BIN)/python manage.py seed_demo

# The development server and a background worker (email, reminders) side by side; Ctrl-C stops both. start_reminders
# queues the reminders' once-a-minute tick unless one is waiting. run_worker rides out its own errors; should it exit
# anyway (killed, out of memory), the loop starts it again 2 s later.
run: demo
	@echo ""
	@echo "Cramp Diary: open http://$(HOST):$(PORT)/ and log in as 'demo' / 'cramp-diary-demo'"
	@echo "Email (and email reminders) is printed here (the console backend) unless EMAIL_URL is set."
	@echo ""
	DEBUG=true $(BIN)/python manage.py start_reminders
	( trap 'kill $$pid 2>/dev/null; exit' TERM; while :; do DEBUG=true $(SITE_ENV) $(BIN)/python manage.py run_worker & pid=$$!; \
	  wait $$pid; echo "make: the worker exited ($$?); starting it again in 2 s" >&2; sleep 2; done ) & \
	worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	DEBUG=true $(SITE_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# A secret key made once for this machine's `make serve`; a real deployment sets SECRET_KEY itself.
$(STAMPS)/secret-key:
	@mkdir -p $(STAMPS)
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: setup $(STAMPS)/secret-key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@echo "Cramp Diary (production settings): http://$(HOST):$(PORT)/, with a background worker"
	$(SERVE_ENV) $(BIN)/python manage.py start_reminders
	( trap 'kill $$pid 2>/dev/null; exit' TERM; while :; do $(SERVE_ENV) $(BIN)/python manage.py run_worker & pid=$$!; \
	  wait $$pid; echo "make: the worker exited ($$?); starting it again in 2 s" >&2; sleep 2; done ) & \
	worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(SERVE_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 120 --access-logfile -

# `make test AT=2027-03-28T01:30 TZ_AT=Europe/London`: every test starts at that local moment (tests/clock.py).
CLOCK_ARGS := $(if $(AT),--at=$(AT) $(if $(TZ_AT),--at-zone=$(TZ_AT)))

test: setup
	$(TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_ENV) $(BIN)/pytest $(CLOCK_ARGS) $(PYTEST_ARGS)

# The suite without its browser tests at each moment in tests/moments.py (month ends, clock changes, New Year, a
# leap day), two at a time on SQLite; .ci/run runs it before the whole suite at the real date.
test-moments: setup
	$(TEST_ENV) $(BIN)/python -m tests.moments

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The import and reminder benches run on whatever DATABASE_URL names (SQLite without it); the issue's reminder
# figure is for PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/crampdiary make bench`.
bench: setup
	$(TEST_ENV) $(BIN)/python -m tests.bench
	$(TEST_ENV) $(BIN)/python -m tests.bench_heavy
	$(TEST_ENV) $(BIN)/python -m tests.bench_import
	$(TEST_ENV) BENCH_REMINDERS=$${BENCH_REMINDERS:-100000} $(BIN)/python -m tests.bench_reminders
	$(BIN)/python -m tests.lighthouse

# The pinned Lighthouse (package.json) against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium).
lighthouse: setup
	$(BIN)/python -m tests.lighthouse

loadtest: setup $(STAMPS)/secret-key
	$(BIN)/python -m tests.loadtest

clean:
	rm -rf $(VENV) $(STAMPS) node_modules static/vendor staticfiles
