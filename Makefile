# Entry points: `make dev` runs the whole system locally, `make test` runs every test,
# `make deploy` deploys with SAM. `sam build` calls the build-<LogicalId> targets below.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build test dev deploy clean

help:
	@echo "make dev     run the whole system locally (page at http://127.0.0.1:8080/)"
	@echo "make test    set up and run every test"
	@echo "make deploy  sam build + sam deploy --guided"

setup:
	scripts/setup.sh

build: setup
	swift build

test:
	scripts/test.sh

dev:
	scripts/dev.sh

deploy:
	.venv/bin/sam build && .venv/bin/sam deploy --guided

clean:
	rm -rf .build .aws-sam test-artifacts
