# Two entry points for newcomers and CI:
#   make demo   set everything up, check the bundled sample pairs, write reports/
#   make test   set everything up, lint and type-check, run the whole test suite
# and, while working: make lint, make test-fast (the tests that load no model, in seconds)
# Everything installs into .venv; torch is pinned first (CPU build) so that
# sentence-transformers does not pull a multi-GB CUDA build.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PAIRS := kim-arrives missiles-pt-en kim-support-control

.PHONY: setup demo lint test test-fast train-tagger bench clean-venv

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[test]'
	touch $@

demo: setup
	@for pair in $(PAIRS); do \
		echo "== $$pair"; \
		$(VENV)/bin/mtcheck check pairs/$$pair/source.txt pairs/$$pair/candidate.txt \
			--json reports/$$pair.json --markdown reports/$$pair.md --html reports/$$pair.html --force || exit $$?; \
	done
	@$(PY) bench/screenshot.py reports/kim-arrives.html reports/review.png
	@echo "Reports written to reports/ (JSON, Markdown and HTML for each pair)."

lint: setup
	$(VENV)/bin/ruff check mtcheck tests bench
	$(VENV)/bin/ruff format --check mtcheck tests bench
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not model"

# Retrain the span tagger from ../shared/data/mqm-train and ship it into mtcheck/data/tagger
# (about 70 minutes on 2 cores; prints its dev figures at the end).
train-tagger: setup
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[train]'
	$(PY) bench/train_tagger.py --epochs 3 --ref-mix --ted-ref both --synthetic --threads 1 --per-channel --ship --out bench/out/tagger
	$(PY) bench/fit_blend.py

bench: setup
	$(PY) bench/bench_pipeline.py
	$(PY) bench/bench_align.py

clean-venv:
	rm -rf $(VENV)
