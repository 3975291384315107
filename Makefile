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

# ---------------------------------------------------------------------------
# Policy checks (policies/): the platform team's limits on every pull request, over each
# environment's HCL (and a `terraform show -json` plan with PLAN=path), plus checkov.
# Reports in reports/ (gitignored): policy-junit.xml, policy.sarif, checkov/results.{json,sarif,xml},
# policy-summary.md (the pull-request comment).
# ---------------------------------------------------------------------------
CHECKOV_VENV := .venv-checkov
CHECKOV      := $(CHECKOV_VENV)/bin/checkov
REPORTS      := reports
PLAN         ?=
CHECKOV_CUSTOM := CKV_MSA_1,CKV_MSA_2,CKV_MSA_3,CKV_MSA_4,CKV_MSA_5

.PHONY: policy policy-hcl checkov checkov-setup

checkov-setup: $(CHECKOV_VENV)/.installed ## Create .venv-checkov with the pinned checkov (never in .venv)

$(CHECKOV_VENV)/.installed: policies/checkov/requirements.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check -r policies/checkov/requirements.txt
	touch $@

policy-hcl: setup ## Only the HCL policy checks (python -m policies; ROOT=dir, PLAN=plan.json)
	$(BIN)/python -m policies $(if $(ROOT),--root $(ROOT)) $(if $(PLAN),--plan $(PLAN))

checkov: checkov-setup ## checkov (built-in + policies/checkov) on the module and envs, offline
	@mkdir -p $(REPORTS)/checkov
	$(CHECKOV) -o cli -o json -o sarif -o junitxml \
	  --output-file-path console,$(REPORTS)/checkov/results.json,$(REPORTS)/checkov/results.sarif,$(REPORTS)/checkov/results.xml

policy: setup checkov-setup ## Policy checks + checkov (PLAN=plan.json too): JUnit, SARIF, summary in reports/
	@mkdir -p $(REPORTS)/checkov; rc=0; \
	echo "== policy checks (pytest policies/)"; \
	$(BIN)/pytest -q -p no:cacheprovider policies --junitxml=$(REPORTS)/policy-junit.xml $(if $(PLAN),--plan $(PLAN)) || rc=1; \
	echo "== checkov (modules/aurora-serverless-v2, envs/)"; \
	$(CHECKOV) --quiet --compact -o cli -o json -o sarif -o junitxml \
	  --output-file-path console,$(REPORTS)/checkov/results.json,$(REPORTS)/checkov/results.sarif,$(REPORTS)/checkov/results.xml || rc=1; \
	if [ -n "$(PLAN)" ]; then \
	  echo "== checkov custom checks on $(PLAN)"; \
	  ( cd $(REPORTS)/checkov && $(CURDIR)/$(CHECKOV) -f $(abspath $(PLAN)) --framework terraform_plan --skip-download \
	      --external-checks-dir $(CURDIR)/policies/checkov -c $(CHECKOV_CUSTOM) --quiet --compact \
	      -o cli -o sarif --output-file-path console,plan.sarif ) || rc=1; \
	fi; \
	$(BIN)/python -m policies -q $(if $(PLAN),--plan $(PLAN)) --summary $(REPORTS)/policy-summary.md \
	  --sarif $(REPORTS)/policy.sarif --checkov-json $(REPORTS)/checkov/results.json >/dev/null || rc=1; \
	echo "== reports: $(REPORTS)/policy-summary.md, policy-junit.xml, policy.sarif, checkov/"; \
	exit $$rc
