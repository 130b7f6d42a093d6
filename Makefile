# The one interface to crypto-oms. `make run` and `make test` are the contract with a new user.
GO        ?= go
DATA_DIR  ?= $(CURDIR)/.data
LAMBDA_OUT ?= $(CURDIR)/build/lambdas
LAMBDAS   := projector order-query market-ingest market-query admin

.PHONY: run test deps lint test-go test-cdk test-terraform test-frontend test-e2e bench cost cdk-synth lambdas frontend tidy-check

## run: the whole system in one process on embedded defaults (Kafka, Redis, store, all services).
run: deps
	@if [ -f frontend/package.json ] && [ ! -f frontend/dist/index.html ]; then $(MAKE) frontend; fi
	OMS_DATA_DIR=$${OMS_DATA_DIR:-$(DATA_DIR)} $(GO) run ./hotpath/cmd/omsd -dev

## test: every test, installing and starting what it needs.
test: deps lint test-go test-cdk test-terraform test-frontend test-e2e
	@echo "make test: all suites passed"

deps:
	@bash .ci/deps.sh

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }

test-go:
	OMS_REQUIRE_REAL=1 $(GO) test -race -count=1 -timeout 20m ./...

test-cdk:
	@if [ -f cdk/go.mod ]; then cd cdk && JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 $(GO) test -count=1 -timeout 30m ./...; fi

# Formatting, structure and parity with the CDK app (synthesized in-process, so no cdk-synth first).
test-terraform:
	@if [ -f terraform/go.mod ]; then cd terraform && $(GO) vet ./... && JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 $(GO) test -count=1 -timeout 20m ./...; fi

test-frontend:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm test && npm run build; fi

## test-e2e: the dashboard in Debian's Chromium against a fresh omsd (screenshots in test-artifacts/e2e).
test-e2e:
	@if [ -f frontend/e2e/run-with-omsd.sh ]; then OMS_NEED_BROWSER=1 bash .ci/deps.sh && bash frontend/e2e/run-with-omsd.sh; fi

## cdk-synth: synthesize the dev profile into cdk/cdk.out with the CLI pinned in cdk/_cli (cdk-nag runs too).
cdk-synth: lambdas
	@if [ -f cdk/go.mod ]; then \
	  cd cdk && npm ci --prefix _cli --no-audit --no-fund --loglevel=error && \
	  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 _cli/node_modules/.bin/cdk synth --quiet -c assetDir=$(LAMBDA_OUT) >/dev/null && echo "cdk.out written"; \
	fi

# Functions that open DocumentDB find its CA bundle in their asset ($$LAMBDA_TASK_ROOT/rds-ca.pem).
DOCDB_CA      ?= $(CURDIR)/build/rds-ca.pem
DOCDB_LAMBDAS := projector order-query market-ingest market-query admin

## lambdas: build/lambdas/<fn>/bootstrap for every function (arm64, provided.al2023), with the
## DocumentDB CA bundle beside it when build/rds-ca.pem exists (docs/deploy.md, step "CA bundle").
lambdas:
	@mkdir -p $(LAMBDA_OUT)
	@for fn in $(LAMBDAS); do \
	  dir=lambdas/$$(echo $$fn | tr -d -); \
	  if [ ! -d $$dir/cmd ]; then echo "make lambdas: $$dir/cmd is missing: every function in LAMBDAS must have a main" >&2; exit 1; fi; \
	  mkdir -p $(LAMBDA_OUT)/$$fn && \
	  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(LAMBDA_OUT)/$$fn/bootstrap ./$$dir/cmd || exit 1; \
	done
	@for fn in $(DOCDB_LAMBDAS); do \
	  if [ -f $(DOCDB_CA) ]; then cp $(DOCDB_CA) $(LAMBDA_OUT)/$$fn/rds-ca.pem; else rm -f $(LAMBDA_OUT)/$$fn/rds-ca.pem; fi; \
	done
	@if [ ! -f $(DOCDB_CA) ]; then \
	  echo "make lambdas: WARNING: $(DOCDB_CA) not found; the functions cannot reach DocumentDB once deployed." >&2; \
	  echo "  Download it first: curl -fsSL -o build/rds-ca.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem" >&2; \
	fi

## bench: throughput and latency from a real run, with the machine's ceiling beside it.
bench: deps
	$(GO) run ./hotpath/cmd/omsbench -out bench-results
	$(GO) run ./hotpath/cmd/omsquerybench -out bench-results

## cost: monthly cost of the hybrid and EKS-only layouts for every shipped traffic profile.
cost:
	$(GO) run ./hotpath/cmd/omscost -all -docs docs/cost.md -csv docs/cost -svg docs/cost

frontend:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi
