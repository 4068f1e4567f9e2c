# OpenRegion: `make demo` sets up and serves the demo; `make test` sets up and runs all tests.
.PHONY: setup demo test test-only lint format bench messages

setup:
	./scripts/setup.sh

demo: setup
	./scripts/demo.sh

test: setup test-only

test-only:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m pytest -q -p no:cacheprovider

lint:
	.venv/bin/ruff check .

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

messages:
	for app in core accounts actors matching ideas services events notifications; do \
	  (cd $$app && ../.venv/bin/python ../manage.py makemessages -l de --no-obsolete -v 0); done
	cd openregion && ../.venv/bin/python ../manage.py makemessages -l de --no-obsolete -v 0

bench: setup
	.venv/bin/python benchmarks/directory_search.py
