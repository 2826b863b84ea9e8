# The suite's commands. Quick start: `make run`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= uv
PY := $(UV) run --frozen

.PHONY: help sync fetch deploy-tools deploy-manifests stack-up stack-down stack-status run up stop status drill fuzz-stack soak test test-unit fuzz lint schemas bench token clean portal portal-deps

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

sync: ## install the Python dependencies from uv.lock into .venv
	@$(UV) sync --frozen --all-packages --all-extras --quiet

fetch: sync ## resolve the Kafka jars from Maven Central (cached outside git)
	@$(PY) devstack fetch

# `make run ONLY=presensi,gateway` runs those services only; with ASN_KAFKA_BOOTSTRAP (a broker
# elsewhere) the Kafka jars are not needed, and the portal is built only for a gateway.
comma := ,
ONLY_FLAG := $(if $(ONLY),--only $(ONLY))
RUN_NEEDS := $(if $(ONLY),$(if $(filter gateway,$(subst $(comma), ,$(ONLY))),portal),portal)

stack-up: $(if $(ASN_KAFKA_BOOTSTRAP),sync,fetch) ## start Kafka and PostgreSQL unless ASN_KAFKA_BOOTSTRAP / ASN_POSTGRES_URL name external ones (idempotent)
	@$(PY) devstack start

stack-down: ## stop Kafka and PostgreSQL
	@$(PY) devstack stop

stack-status: ## what of the local stack is running
	@$(PY) devstack status

run: stack-up $(RUN_NEEDS) ## start the stack and every built service (ONLY=a,b for some), supervised in the foreground; Ctrl-C stops all
	@$(if $(RUN_NEEDS),echo "Portal: http://127.0.0.1:$${ASN_GATEWAY_PORT:-8000}/")
	@$(PY) python -m devstack.suite run $(ONLY_FLAG)

up: stack-up $(RUN_NEEDS) ## the same as run, its supervisor in the background (make stop takes it down); fails naming a service that did not start
	@$(PY) python -m devstack.suite start $(ONLY_FLAG)

stop: ## take the suite down: the supervisor and services, then the stack
	@$(PY) python -m devstack.suite stop || true
	@$(PY) devstack stop

status: ## what runs: the supervisor, each service (or why it was given up on), the stack
	@$(PY) python -m devstack.suite status
	@$(PY) devstack status

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
	@$(PY) mypy $(wildcard services/*/src) gateway/src cli/src analytics/src bench
	@$(PY) mypy $(filter-out tests/drill/test_%,$(wildcard tests/drill/*.py))
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

drill: fetch ## fault drills on an own stack (not a test): service and projector SIGKILLed, broker down 20 s, PostgreSQL restarted, relay exits before its mark, Kafka slowed and reset, poison on every topic; DRILL_OPS=120 each; then fuzz-stack (DRILL_FUZZ=0 skips it)
	@$(PY) python tests/drill/run_drill.py
	@$(if $(filter 0,$(DRILL_FUZZ)),echo "[drill] fuzz skipped (DRILL_FUZZ=0)",$(PY) python tests/drill/run_fuzz.py)

fuzz-stack: fetch ## schemathesis through the gateway on an own stack of every service, with each role's token: no 5xx; FUZZ_EXAMPLES=20
	@$(PY) python tests/drill/run_fuzz.py

soak: fetch ## a soak on an own stack (not a test): SOAK_MINUTES=10 of mixed commands at SOAK_RATE=6/s, 3x bursts; table, .soak/*.png and *.csv
	@$(PY) python tests/drill/run_soak.py

token: sync ## mint a dev token: make token NIP=198503152010011001 ROLES=bkpsdm [UNIT=bkpsdm]
	@$(PY) asn token --nip "$(NIP)" --roles "$(or $(ROLES),pegawai)" $(if $(UNIT),--unit "$(UNIT)")

clean: stop ## stop everything and delete local state (databases, Kafka logs)
	rm -rf .stack .stack-test
