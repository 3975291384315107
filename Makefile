# mistersmith-aurora: size, check and deploy Aurora Serverless v2 (PostgreSQL).
# `make help` lists the targets.

SHELL      := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
ENV        ?= dev
TARGET     ?= moto
PLAN       ?=
ROOT       ?=
PLAN_FILE  ?=
E2E_ENV    ?= dev
BASE       ?= origin/main
TRUSTED    ?=
DAYS       ?= 14
TO         ?=

# Values given on the command line reach the shell only as data: each is read unexpanded ($(value): a
# "$(shell ...)" in it stays text), exported as ARG_<name> and quoted where a recipe uses it ("$$ARG_ENV").
# The originals are not exported (make would expand them on the way). So `make plan ENV="x' || touch /tmp/x"`
# runs nothing but tf-run.sh's refusal of that name.
ARG_VARS := ENV TARGET PLAN ROOT PLAN_FILE E2E_ENV BASE TRUSTED DAYS TO
$(foreach v,$(ARG_VARS),$(eval export ARG_$(v) := $$(value $(v))))
unexport $(ARG_VARS)

.DEFAULT_GOAL := help
.PHONY: help setup generate report observe grow test py-test bench calibrate calibrate-agreement lint

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------
# Python toolkit (generator/, policies/, tests/)
# ---------------------------------------------------------------------------
setup: $(VENV)/.installed ## Create .venv with the pinned dependencies (idempotent)

# pip's log cut to one line per package: a first install takes minutes and must not look hung in a CI log.
# (The recipe lines running it are not echoed: the awk program would be a 300-character line in every log.)
PIP_PROGRESS := awk '/^Collecting /{print "  collecting " $$2; fflush()} \
  /^Building wheels? for collected/{print "  building " $$NF; fflush()} \
  /^Installing collected packages/{print "  installing " split(substr($$0, index($$0, ":") + 2), p, ", ") " packages"; fflush()}'

$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "setup: installing the pinned dependencies into $(VENV) (a first install takes 1-4 min)"
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --disable-pip-version-check --progress-bar off -c constraints.txt --config-settings editable_mode=compat -e '.[dev]' | $(PIP_PROGRESS)
	touch $@

generate: setup ## Render envs/<env>/terraform.tfvars from envs/<env>/sizing.yaml
	$(BIN)/aurora-gen render

report: setup ## Print the sizing report of ENV (default dev)
	$(BIN)/aurora-gen report --env "$$ARG_ENV" --format table

# TARGET=moto reads the local moto server that `make apply` left running (.moto/server.port), TARGET=aws the
# usual credential chain. DAYS=N (default 14) is the window.
observe: setup ## Observed CloudWatch metrics of ENV's cluster beside the model (TARGET=moto|aws, DAYS=14)
	@if [ "$$ARG_TARGET" = moto ]; then \
	  [ -f .moto/server.port ] || { echo "observe: no moto server (make apply ENV=$$ARG_ENV first, or TARGET=aws)" >&2; exit 2; }; \
	  export AWS_ENDPOINT_URL="http://127.0.0.1:$$(cat .moto/server.port)" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing; \
	elif [ "$$ARG_TARGET" != aws ]; then echo "observe: TARGET must be moto or aws" >&2; exit 2; fi; \
	$(BIN)/aurora-gen observe --env "$$ARG_ENV" --days "$${ARG_DAYS:-14}" --format table

grow: setup ## Size ENV over a growing fleet (up to TO agents, default 100x) and where each threshold is crossed
	$(BIN)/aurora-gen grow --env "$$ARG_ENV" $${ARG_TO:+--to "$$ARG_TO"}

# Measures the design's tables on a throw-away PostgreSQL 16 (pgserver wheel) and rewrites the dated
# calibration file the model reads (generator/data/calibration/). Then `make generate` re-renders the envs.
calibrate: setup ## Measure rows, WAL, pages and CPU on an embedded PostgreSQL; rewrite the calibration file
	time $(BIN)/aurora-gen calibrate

# The evidence that the calibration repeats: two runs in a row (~8 min on 2 cores), then the comparison
# (CPU within max_cpu_spread, WAL within wal_tolerance, storage identical; exit 1 when they disagree).
calibrate-agreement: setup ## Calibrate twice into reports/calibration/ and compare the two runs (measure on an idle machine)
	mkdir -p reports/calibration
	$(BIN)/aurora-gen calibrate --out reports/calibration/run-1.yaml
	$(BIN)/aurora-gen calibrate --out reports/calibration/run-2.yaml
	$(BIN)/aurora-gen calibration-agreement reports/calibration/run-1.yaml reports/calibration/run-2.yaml

# PYTEST_JUNIT=file: also a JUnit report (the pull-request workflow's check run).
# checkov-setup first: tests/test_checkov_custom.py runs the CKV_MSA_* checks from .venv-checkov (and fails
# without it under CI=true). From scratch it takes ~1.5 min (measured: 1 min 18 s), once per fresh clone.
# PYTEST_WORKERS: pytest-xdist's -n (auto: one per core; 0: no workers). Tests that share a file or a server
# outside their tmp_path carry @pytest.mark.xdist_group (--dist loadgroup runs a group on one worker).
PYTEST_WORKERS ?= auto
py-test: setup checkov-setup browser-setup ## render --check, then pytest over tests/ and policies/ in parallel (PYTEST_JUNIT=file: also JUnit)
	$(BIN)/aurora-gen render --check
	$(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadgroup $(if $(PYTEST_JUNIT),--junitxml=$(PYTEST_JUNIT))

# The parts run side by side (make -j): pytest's workers mostly wait on servers and subprocesses while
# terraform keeps the cores busy. --output-sync prints each part's output whole, once it ends.
# `make bench TEST=1` times it (goal: under 3 min on a warm tree).
test: ## The whole test suite (the README's test command)
	@$(MAKE) --no-print-directory -j --output-sync=target lint py-test tf-fmt tf-validate tf-test

# ruff's rules and line length are in pyproject.toml. actionlint checks .github/workflows (expressions, action
# inputs, needs:, permissions) and runs the pip-installed shellcheck on every run: block.
lint: setup ## ruff check, ruff format --check, actionlint (+ shellcheck) on the GitHub workflows, shellcheck on the scripts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck
	$(BIN)/shellcheck .ci/run scripts/*.sh

# ---------------------------------------------------------------------------
# Sizing report page: reports/sizing.html (self-contained: charts inlined) and the chart PNGs beside it.
# The browser test (tests/test_report_html.py) opens it in Debian's headless Chromium, which
# browser-setup installs where it is missing (apt, as root: CI and these machines).
# ---------------------------------------------------------------------------
.PHONY: report-html browser-setup
CHROMIUM ?= chromium

report-html: setup ## Charts (PNG) and the self-contained reports/sizing.html of every environment
	$(BIN)/aurora-gen report-html --out $(REPORTS)

# The test takes chromium or chromium-browser (GitHub's Ubuntu runners link both to their Chromium); Ubuntu's
# apt has no chromium package (only a snap), so there the install stops with one line saying what to do.
browser-setup: ## Install Debian's chromium for the browser test where it is missing (apt-get, root)
	@if command -v $(CHROMIUM) >/dev/null || command -v chromium-browser >/dev/null; then exit 0; fi; \
	echo "browser-setup: installing chromium from Debian's packages (apt-get, ~1-2 min once)"; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq; \
	apt-cache show chromium >/dev/null 2>&1 || { echo "browser-setup: apt has no chromium package here (Debian's; Ubuntu ships a snap): put a chromium on PATH" >&2; exit 1; }; \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	command -v $(CHROMIUM) >/dev/null || { echo "browser-setup: chromium is still not on PATH" >&2; exit 1; }

bench: setup ## Time the CLI and the checks (goals in README); TEST=1: time `make test` on the warm tree
	@# Byte-compile first: with PYTHONDONTWRITEBYTECODE set (as on these machines) nothing else would.
	$(BIN)/python -m compileall -q generator policies >/dev/null
	$(BIN)/python scripts/bench.py $(if $(filter 1,$(TEST)),--make-test)

# The terraform-docs tables of modules/*/README.md and modules/*/examples/*/README.md, from the .tf files
# (scripts/tf_docs.py; terraform-docs itself cannot be installed here). tests/test_tf_docs.py fails on stale ones.
.PHONY: docs docs-check
docs: setup ## Write the generated Inputs/Outputs/Resources tables into the module and example READMEs, and rerun README.md's examples
	$(BIN)/python scripts/tf_docs.py
	$(BIN)/python scripts/readme_examples.py

docs-check: setup ## Exit 1 naming each README whose generated tables or examples are stale (writes nothing)
	$(BIN)/python scripts/tf_docs.py --check
	$(BIN)/python scripts/readme_examples.py --check

# ---------------------------------------------------------------------------
# Policy checks (policies/): the platform team's limits on every pull request, over each
# environment's HCL (and a `terraform show -json` plan with PLAN=path), plus checkov.
# Reports in reports/ (gitignored): policy-junit.xml, policy.sarif, checkov/results.{json,sarif,xml},
# policy-summary.md (the pull-request comment).
# ---------------------------------------------------------------------------
CHECKOV_VENV := .venv-checkov
CHECKOV      := $(CHECKOV_VENV)/bin/checkov
REPORTS      := reports
CHECKOV_CUSTOM := CKV_MSA_1,CKV_MSA_2,CKV_MSA_3,CKV_MSA_4,CKV_MSA_5
# The module as a root of its own (its defaults), and the environment roots with their tfvars. One checkov
# run per directory (several -d in one run mix the first directory's results into the next report and
# leave the env roots out: scripts/checkov_merge.py), merged into $(REPORTS)/checkov/results.*.
CHECKOV_DIRS   := modules/aurora-serverless-v2 envs
# The rules' tree: TRUSTED=DIR, the base branch's policies/, generator/, .checkov.yaml and scripts/emulator/
# (scripts/ci-trusted.sh; make ci-pr and the pull-request workflow), else this tree. python -m policies runs
# the rules' code (-P: never this tree's through the current directory) with the rules' limits (--limits);
# checkov runs in the rules' tree, so the .checkov.yaml and policies/checkov/ it loads are the rules'.
RULES_SH = rules=$(CURDIR); if [ -n "$$ARG_TRUSTED" ]; then \
	  [ -f "$$ARG_TRUSTED/policies/__main__.py" ] || { echo "TRUSTED=$$ARG_TRUSTED: no policies/ there (scripts/ci-trusted.sh BASE DIR)" >&2; exit 2; }; \
	  rules=$$(realpath -- "$$ARG_TRUSTED"); fi
POLICIES = PYTHONPATH="$$rules" $(CURDIR)/$(BIN)/python -P -m policies --root "$${ARG_ROOT:-$${POLICY_ROOT:-$(CURDIR)}}" \
	  $${ARG_TRUSTED:+--limits "$$rules/policies/limits.yaml"} $${ARG_PLAN:+--plan "$$ARG_PLAN"}
# $(call checkov_scan,extra checkov arguments): sets ckrc=1 when a run fails (after $(RULES_SH)).
checkov_scan = for d in $(CHECKOV_DIRS); do \
	  out=$(CURDIR)/$(REPORTS)/checkov/$$(basename $$d); mkdir -p $$out; echo "-- checkov -d $$d"; \
	  ( cd "$$rules" && $(CURDIR)/$(CHECKOV) -d $(CURDIR)/$$d $(1) -o cli -o json -o sarif -o junitxml \
	    --output-file-path console,$$out/results.json,$$out/results.sarif,$$out/results.xml ) || ckrc=1; \
	done; \
	$(PYTHON) scripts/checkov_merge.py $(REPORTS)/checkov $(addprefix $(REPORTS)/checkov/,$(notdir $(CHECKOV_DIRS)))

.PHONY: policy policy-hcl checkov checkov-setup

checkov-setup: $(CHECKOV_VENV)/.installed ## Create .venv-checkov with the pinned checkov (never in .venv)

$(CHECKOV_VENV)/.installed: policies/checkov/requirements.txt
	@echo "checkov-setup: installing the pinned checkov into $(CHECKOV_VENV) (a first install takes 1-2 min)"
	$(PYTHON) -m venv $(CHECKOV_VENV)
	@$(CHECKOV_VENV)/bin/pip install --disable-pip-version-check --progress-bar off -r policies/checkov/requirements.txt | $(PIP_PROGRESS)
	touch $@

policy-hcl: setup ## Only the HCL policy checks (python -m policies; ROOT=dir, PLAN=plan.json, TRUSTED=rules dir)
	@$(RULES_SH); $(POLICIES)

checkov: checkov-setup ## checkov (built-in + policies/checkov) on the module and envs, offline (TRUSTED=rules dir)
	@$(RULES_SH); ckrc=0; $(call checkov_scan,); exit $$ckrc

policy: setup checkov-setup ## Policy checks + checkov (PLAN=plan.json, ROOT=tree, TRUSTED=rules dir): JUnit, SARIF, summary in reports/
	@# Each violation is printed once, by python -m policies (exit 1 violations, 2 bad input); the recipe
	@# exits with the same code (make itself reports "Error 1" / "Error 2" and exits 2 on any failure).
	@$(RULES_SH); mkdir -p $(REPORTS)/checkov; rc=0; \
	echo "== checkov (modules/aurora-serverless-v2, envs/)$${ARG_TRUSTED:+ with the rules of $$ARG_TRUSTED}"; \
	ckrc=0; $(call checkov_scan,--quiet --compact); \
	if [ -n "$$ARG_PLAN" ]; then \
	  echo "== checkov custom checks on $$ARG_PLAN"; \
	  plan=$$(realpath -m -- "$$ARG_PLAN"); \
	  ( cd $(REPORTS)/checkov && $(CURDIR)/$(CHECKOV) -f "$$plan" --framework terraform_plan --skip-download \
	      --external-checks-dir "$$rules/policies/checkov" -c $(CHECKOV_CUSTOM) --quiet --compact \
	      -o cli -o sarif --output-file-path console,plan.sarif ) || ckrc=1; \
	fi; \
	echo "== policy checks (python -m policies$${ARG_TRUSTED:+ of $$ARG_TRUSTED})"; \
	$(POLICIES) --summary $(REPORTS)/policy-summary.md \
	  --sarif $(REPORTS)/policy.sarif --junit $(REPORTS)/policy-junit.xml --checkov-json $(REPORTS)/checkov/results.json || rc=$$?; \
	echo "== reports: $(REPORTS)/policy-summary.md, policy-junit.xml, policy.sarif, checkov/"; \
	if [ $$rc = 0 ] && [ $$ckrc != 0 ]; then rc=1; fi; \
	exit $$rc

# ---------------------------------------------------------------------------
# Terraform (modules/aurora-serverless-v2, envs/<env>). init is offline when the hashicorp/aws
# provider is unpacked in /opt/tf-plugins (scripts/tf-cli-config.sh writes .terraformrc.local, a
# filesystem mirror there or plain registry installs elsewhere). plan/apply/destroy run against a
# local moto emulator (TARGET=moto, the default: fake credentials, .moto/ state) or real AWS
# (TARGET=aws: your credentials; envs/<env>/backend-s3.hcl selects the S3 backend).
# ---------------------------------------------------------------------------
TF_MODULE   := modules/aurora-serverless-v2
TF_ENVS     := $(patsubst envs/%/main.tf,%,$(wildcard envs/*/main.tf))
TF_EXAMPLES := $(patsubst %/main.tf,%,$(wildcard $(TF_MODULE)/examples/*/main.tf))
TF_DIRS     := $(TF_MODULE) $(TF_EXAMPLES) $(addprefix envs/,$(TF_ENVS))
TF_FMT_DIRS := $(TF_MODULE) envs scripts/emulator
E2E_ENV     ?= dev
TF_JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
export TF_CLI_CONFIG_FILE := $(CURDIR)/.terraformrc.local
# TRUSTED=DIR: the emulator override is DIR's (the base branch's), not this tree's.
TF_RUN       = EMULATOR_OVERRIDE="$${ARG_TRUSTED:+$$ARG_TRUSTED/scripts/emulator/emulator_override.tf}" \
	MOTO_PYTHON=$(CURDIR)/$(BIN)/python scripts/tf-run.sh

.PHONY: tf-cli-config tf-init tf-fmt tf-format tf-validate tf-test plan apply destroy e2e moto-stop

tf-cli-config:
	@scripts/tf-cli-config.sh $(TF_CLI_CONFIG_FILE) >/dev/null

tf-init: tf-cli-config ## terraform init of the module, its examples and every env (no backend; idempotent)
	@# One line per directory: a first init of them all is silent for 30 s or more otherwise.
	@for d in $(TF_DIRS); do \
	  echo "tf-init: $$d"; \
	  terraform -chdir=$$d init -input=false -backend=false -no-color >/dev/null \
	    || { echo "terraform init failed in $$d" >&2; exit 1; }; \
	done

tf-fmt: tf-cli-config ## terraform fmt -check of the module, envs and the emulator override
	terraform fmt -check -recursive -diff $$([ -t 1 ] || echo -no-color) $(TF_FMT_DIRS)

tf-format: ## Rewrite the Terraform files in canonical format
	terraform fmt -recursive $(TF_FMT_DIRS)

# (envs/staging and envs/prod's .tf files are symlinks to envs/dev's: tests/test_terraform_envs.py checks that layout.)
# tf-validate and tf-test: terraform attaches to one provider process (scripts/tf-shared-provider.sh) instead of
# starting its own for each directory and run block; the test files go largest first, so the last to end is short.
TF_SHARED   := $(CURDIR)/scripts/tf-shared-provider.sh

tf-validate: tf-init ## terraform validate of the module (through its examples) and each env
	@printf '%s\n' $(TF_EXAMPLES) $(addprefix envs/,$(TF_ENVS)) | $(TF_SHARED) $(TF_DIRS) -- xargs -P $(TF_JOBS) -I{} bash -c \
	  'if out=$$(terraform -chdir={} validate -no-color 2>&1); then echo "{}: valid"; else echo "{}: $$out"; exit 1; fi'

tf-test: tf-init ## terraform test of the module and of each example (mock providers: no AWS, no network), in parallel
	@cd $(TF_MODULE) && rm -f .terraform/*.tftest.hcl.log && ls -S tests/*.tftest.hcl | $(TF_SHARED) . -- xargs -P $(TF_JOBS) -I{} bash -c \
	  'log=.terraform/$$(basename {}).log; echo "{}: running"; if terraform test -no-color -filter={} >$$log 2>&1; \
	   then echo "{}: $$(grep -E "passed, [0-9]+ failed" $$log | tail -n1)"; else cat $$log; echo "{}: FAILED" >&2; exit 1; fi'
	@# Each example validates (tf-validate) and plans with the module's mock providers (its tests/plan.tftest.hcl).
	@printf '%s\n' $(TF_EXAMPLES) | $(TF_SHARED) $(TF_EXAMPLES) -- xargs -P $(TF_JOBS) -I{} bash -c \
	  'log=$(CURDIR)/$(TF_MODULE)/.terraform/example-$$(basename {}).tftest.hcl.log; \
	   if terraform -chdir={} test -no-color >$$log 2>&1; then echo "{}: $$(grep -E "passed, [0-9]+ failed" $$log | tail -n1)"; \
	   else cat $$log; echo "{}: FAILED" >&2; exit 1; fi'
	@# One closing line over the module's test files and the examples.
	@cd $(TF_MODULE) && cat .terraform/*.tftest.hcl.log | sed -nE 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' \
	  | awk '{p+=$$1; f+=$$2} END {printf "terraform-test: %d passed, %d failed\n", p, f}'

plan: setup tf-cli-config ## terraform plan of ENV (dev) on TARGET (moto | aws)
	$(TF_RUN) plan "$$ARG_ENV" "$$ARG_TARGET"

apply: setup tf-cli-config ## terraform apply of ENV on TARGET (PLAN_FILE=saved plan, aws; moto keeps running until destroy)
	TF_PLAN_FILE="$$ARG_PLAN_FILE" $(TF_RUN) apply "$$ARG_ENV" "$$ARG_TARGET"

destroy: $(if $(filter moto,$(ARG_TARGET)),setup) tf-cli-config ## terraform destroy of ENV on TARGET
	$(TF_RUN) destroy "$$ARG_ENV" "$$ARG_TARGET"

e2e: setup tf-cli-config ## On moto: apply E2E_ENV (dev), re-plan (clean but documented quirks), observe seeded metrics, destroy
	$(TF_RUN) e2e "$$ARG_E2E_ENV" moto

moto-stop: setup ## Stop a moto server left by `make apply`
	$(BIN)/python scripts/moto_emulator.py stop

# ---------------------------------------------------------------------------
# Pull requests (.github/workflows/pull-request.yml). `make ci-pr` runs here what the workflow runs against
# BASE (default origin/main), with the base's rules (scripts/ci-trusted.sh into reports/trusted) and the same
# fast path (scripts/ci_changes.py): the toolkit's tests only when the toolkit changed, a plan on the emulator
# and the policy checks on it only for the environments that changed, collected in reports/ci/<env>/; the cost
# diff against BASE and the HTML report; the comment, written to reports/ci/comment.md instead of posted.
# scripts/ci-pr.sh has the steps.
# ---------------------------------------------------------------------------
CI_DIR    := $(REPORTS)/ci

.PHONY: ci-collect ci-pr ci-changes

# ENV names a directory this recipe empties (rm -rf): one of envs/, never a path (ENV=../..).
ci-collect: ## (CI) Copy ENV's plan.json and policy reports into reports/ci/ENV/ (one artifact per env)
	@$(if $(and $(filter 1,$(words $(ARG_ENV))),$(filter $(ARG_ENV),$(TF_ENVS))),,$(error ENV '$(ARG_ENV)' is not an environment (one of $(TF_ENVS))))
	@out="$(CI_DIR)/$$ARG_ENV"; rm -rf "$$out"; mkdir -p "$$out"; \
	for f in ".moto/work/$$ARG_ENV/plan.json" $(REPORTS)/policy-summary.md $(REPORTS)/policy-junit.xml \
	  $(REPORTS)/policy.sarif $(REPORTS)/checkov; do [ ! -e "$$f" ] || cp -r "$$f" "$$out/"; done; \
	echo "ci-collect: $$(ls "$$out" | tr '\n' ' ')in $$out"

ci-changes: ## What changed since BASE (origin/main) and so what CI runs: {"toolkit", "data", "envs", "rules"}
	@$(PYTHON) scripts/ci_changes.py --base "$$ARG_BASE"

ci-pr: setup ## Run locally what the pull-request workflow runs against BASE (origin/main), with its rules and fast path
	@MAKE="$(MAKE)" BIN="$(BIN)" scripts/ci-pr.sh
