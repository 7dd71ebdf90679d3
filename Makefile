# Entry points: `make dev` runs the whole system locally, `make test` runs every test,
# `make deploy` deploys with SAM. `sam build` calls the build-<LogicalId> targets below.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build test dev dev-reset deploy clean bootstrap-check bench fuzz soak build-DBUpdaterFunction build-DBStreamProcessorFunction

help:
	@echo "make dev     run the whole system locally (page at http://127.0.0.1:8080/); keeps the count between runs"
	@echo "make dev-reset  the same, starting the count from zero (deletes .dev-state/)"
	@echo "make test    set up and run every test"
	@echo "make deploy  sam build + sam deploy --guided (see docs/deploying.md)"
	@echo "make smoke STACK=<name> [REGION=…] [ORIGIN=…]  check a deployment works (URL=ws://127.0.0.1:8080/local: the local stack)"
	@echo "make bootstrap-check  build both bootstraps and check they load on Amazon Linux 2023"
	@echo "make soak    load storms of 1,000 WebSocket clients until 10,000+ invocations (SOAK_ARGS=--short: one storm)"
	@echo "make bench   measure cold start, warm \$$connect, fan-out, footprint; writes docs/benchmarks.md (BENCH_QUICK=1: short run)"

setup:
	scripts/setup.sh

build: setup
	scripts/swift_build.sh lambda
	scripts/swift_build.sh local --build-tests

test:
	scripts/test.sh

# Ctrl-C ends the recipe with status 0 (the script stops everything in order); make itself then
# re-raises the interrupt, silently.
dev:
	scripts/dev.sh

dev-reset:
	DEV_RESET=1 scripts/dev.sh

# --build-in-source: make runs here, not in a temporary copy of the repository, so the release build in
# .build-lambda is reused between runs and nothing needs a container. The check refuses bootstraps that
# would not load on Amazon Linux 2023.
deploy: setup
	.venv/bin/sam build --build-in-source
	scripts/bootstrap_check.sh .aws-sam/build/DBUpdaterFunction/bootstrap .aws-sam/build/DBStreamProcessorFunction/bootstrap
	.venv/bin/sam deploy --guided

# Post-deploy check (docs/deploying.md): two WebSockets, a visit counted once and pushed, sync, ping; with
# STACK the URL comes from the stack's outputs and both functions' recent logs are read for errors.
.PHONY: smoke
smoke:
	.venv/bin/python scripts/smoke.py $(strip $(if $(STACK),--stack $(STACK),--url $(or $(URL),ws://127.0.0.1:8080/local)) \
	  $(if $(REGION),--region $(REGION)) $(if $(ORIGIN),--origin $(ORIGIN)))

# Called by `sam build` (template.yaml: BuildMethod: makefile) with ARTIFACTS_DIR set.
build-DBUpdaterFunction:
	scripts/build_bootstrap.sh DBUpdater "$(ARTIFACTS_DIR)"

build-DBStreamProcessorFunction:
	scripts/build_bootstrap.sh DBStreamProcessor "$(ARTIFACTS_DIR)"

bootstrap-check:
	scripts/build_bootstrap.sh DBUpdater .build-lambda/bootstraps/DBUpdater
	scripts/build_bootstrap.sh DBStreamProcessor .build-lambda/bootstraps/DBStreamProcessor
	scripts/bootstrap_check.sh .build-lambda/bootstraps/DBUpdater/bootstrap .build-lambda/bootstraps/DBStreamProcessor/bootstrap

# The fuzz tests' long setting (make test runs 2,000 events per binary): FUZZ_EVENTS and FUZZ_SEED to choose.
fuzz: setup
	scripts/swift_build.sh lambda --build-tests
	FUZZ_EVENTS=$${FUZZ_EVENTS:-20000} swift test --skip-build --filter DecoderFuzzTests
	scripts/swift_build.sh local --build-tests
	FUZZ_EVENTS=$${FUZZ_EVENTS:-20000} swift test --package-path LocalStack --skip-build --filter EventFuzzTests
	FUZZ_EVENTS=$${FUZZ_EVENTS:-20000} scripts/fuzz_asan.sh

# Long load run (docs/reliability-load.md); `make test` runs one 1,000-client storm (tests/test_load.py).
soak: build
	.venv/bin/python scripts/soak.py --json test-artifacts/soak-report.json $(SOAK_ARGS)

# Not part of `make test` (a benchmark is never a test): about 5 minutes on two cores plus the release builds.
bench:
	scripts/bench.sh

clean:
	rm -rf .build LocalStack/.build .build-lambda .build-asan .aws-sam test-artifacts
