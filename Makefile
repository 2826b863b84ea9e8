# The suite's commands. Quick start: `make run`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= uv
PY := $(UV) run --frozen

.PHONY: help sync fetch deploy-tools deploy-manifests stack-up stack-down stack-status run up stop test test-unit fuzz lint schemas bench token clean portal portal-deps

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

sync: ## install the Python dependencies from uv.lock into .venv
	@$(UV) sync --frozen --all-packages --all-extras --quiet

fetch: sync ## resolve the Kafka jars from Maven Central (cached outside git)
	@$(PY) devstack fetch

stack-up: fetch ## start Kafka and PostgreSQL (idempotent; waits until ready)
	@$(PY) devstack start

stack-down: ## stop Kafka and PostgreSQL
	@$(PY) devstack stop

stack-status: ## what of the local stack is running
	@$(PY) devstack status

run: stack-up portal ## start the stack and every built service in the foreground; Ctrl-C stops all
	@echo "Portal: http://127.0.0.1:$${ASN_GATEWAY_PORT:-8000}/"
	@$(PY) python -m devstack.services run

up: stack-up portal ## the same as run, but in the background (make stop takes it down)
	@$(PY) python -m devstack.services start

stop: ## take the suite down: services, then the stack
	@$(PY) python -m devstack.services stop || true
	@$(PY) devstack stop

test: sync portal deploy-tools ## every test: the portal's Vitest, then unit, contract, integration (real Kafka + PostgreSQL), e2e and browser
	@cd portal && npx vitest run
	@$(PY) pytest -q

test-unit: sync ## only the tests that need no broker or database
	@$(PY) pytest -q -m "not integration"

fuzz: sync ## schemathesis against every service's OpenAPI with many examples (make test runs a few); FUZZ_EXAMPLES=200
	@ASN_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),100) $(PY) pytest -q --timeout=3600 \
		$(wildcard services/*/tests/integration/test_fuzz.py) gateway/tests/integration/test_fuzz.py

lint: sync ## ruff, mypy (strict on libs and schemas; services, gateway and bench too), import contracts, hadolint
	@$(PY) ruff check .
	@$(PY) ruff format --check .
	@$(PY) mypy libs/servicekit/src schemas/src deploy/local/src
	@$(PY) mypy $(wildcard services/*/src) gateway/src cli/src bench
	@$(PY) lint-imports
	@$(PY) hadolint deploy/docker/Dockerfile

# The portal: node modules from package-lock.json, and a build only when its sources changed.
PORTAL_SOURCES := $(shell find portal/src portal/public portal/scripts -type f 2>/dev/null) \
	portal/index.html portal/package.json portal/vite.config.ts portal/tsconfig.json portal/openapi.json

portal-deps: portal/node_modules/.package-lock.json

portal/node_modules/.package-lock.json: portal/package-lock.json
	@command -v node >/dev/null || { echo "node not found: apt-get install nodejs"; exit 1; }
	@command -v npm >/dev/null || { echo "npm not found: apt-get install npm"; exit 1; }
	@cd portal && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

portal: portal/dist/index.html ## build the portal (served by the gateway at /) when its sources changed

portal/dist/index.html: portal/node_modules/.package-lock.json $(PORTAL_SOURCES)
	@cd portal && npm run --silent build

deploy-tools: sync ## kustomize, the operators' CRDs and the Compose schema for the offline deploy tests (cached outside git)
	@$(PY) python tests/deploy/deploy_tools.py >/dev/null

deploy-manifests: sync ## rewrite deploy/k8s/base's generated manifests from services.toml, topics.toml and the consumer specs
	@$(PY) python deploy/k8s/generate.py

schemas: sync ## regenerate the committed JSON Schemas, AsyncAPI document and catalogue page from the event models
	@$(PY) python -m asn_schemas.generate

bench: fetch ## benchmarks with their side-by-side anchors (not a test); BENCH=outbox|checkin|gateway for one
	@for b in $(or $(BENCH),$(notdir $(patsubst %/__main__.py,%,$(wildcard bench/*/__main__.py)))); do \
		echo "== bench/$$b"; $(PY) python -m bench.$$b || exit 1; done

token: sync ## mint a dev token: make token NIP=198503152010011001 ROLES=bkpsdm [UNIT=bkpsdm]
	@$(PY) asn token --nip "$(NIP)" --roles "$(or $(ROLES),pegawai)" $(if $(UNIT),--unit "$(UNIT)")

clean: stop ## stop everything and delete local state (databases, Kafka logs)
	rm -rf .stack .stack-test
