# mistersmith-aurora: size, check and deploy Aurora Serverless v2 (PostgreSQL).
# `make help` lists the targets.

SHELL      := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
ENV        ?= dev
TARGET     ?= moto

.DEFAULT_GOAL := help
.PHONY: help setup generate report test py-test bench

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------
# Python toolkit (generator/, policies/, tests/)
# ---------------------------------------------------------------------------
setup: $(VENV)/.installed ## Create .venv with the pinned dependencies (idempotent)

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt --config-settings editable_mode=compat -e '.[dev]'
	touch $@

generate: setup ## Render envs/<env>/terraform.tfvars from envs/<env>/sizing.yaml
	$(BIN)/aurora-gen render

report: setup ## Print the sizing report of ENV (default dev)
	$(BIN)/aurora-gen report --env $(ENV) --format table

py-test: setup
	$(BIN)/aurora-gen render --check
	$(BIN)/pytest -q -p no:cacheprovider

test: py-test ## The whole test suite (the README's test command)

bench: setup ## Time the CLI and the checks (goals in README)
	$(BIN)/python scripts/bench.py
