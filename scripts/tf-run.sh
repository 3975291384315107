#!/usr/bin/env bash
# Run Terraform on one environment root, against real AWS or against a local moto emulator.
#
#   scripts/tf-run.sh init|plan|apply|destroy|e2e ENV TARGET      (TARGET: moto or aws)
#
# TARGET=aws : runs in envs/ENV with the credentials of the environment. State is local
#              (envs/ENV/terraform.tfstate) unless envs/ENV/backend-s3.hcl exists: then a gitignored
#              envs/ENV/backend_override.tf selects the S3 backend (use_lockfile) configured by that file.
# TARGET=moto: runs in a throw-away working copy .moto/work/ENV (symlinks to envs/ENV's .tf files and
#              terraform.tfvars, a copy of its lock file, plus scripts/emulator/emulator_override.tf), so
#              emulator state never mixes with real state and no variable beyond the contract is needed.
#              A moto server on 127.0.0.1 is started (or reused) and seeded; AWS_ENDPOINT_URL and fake
#              credentials point the provider at it. plan and destroy stop the server they started;
#              apply leaves it running (the state only means something while it lives) until
#              `destroy` or `make moto-stop`. e2e = apply, re-plan (must be clean but for documented
#              emulator quirks), seed a day of metrics and `aurora-gen observe` them, destroy, all on one
#              fresh server.
#
# Environment: TF_RUN_ARGS (extra arguments for plan/apply/destroy), MOTO_PYTHON (with moto and boto3; default
# .venv/bin/python), TF_MOTO_TIMEOUT (seconds allowed to each terraform command under moto, default 240),
# EMULATOR_OVERRIDE (the override file for moto, default scripts/emulator/emulator_override.tf; the pull-request
# gate passes the base branch's copy). The override is refused unless it only holds the emulator's switches
# (scripts/emulator/check_override.py): one that set other module arguments would hide main.tf from the plan checks.
# TARGET=aws only: TF_PLAN_OUT (where plan saves its plan, default .plans/ENV/plan.tfplan, with the JSON beside
# it as plan.json) and TF_PLAN_FILE (apply exactly this saved plan, no prompt: the reviewed plan is the applied one).
#
# Output: no colour unless stdout and stderr are terminals (CI logs stay plain); plan ends with one line,
# `plan ENV (TARGET): N to add, N to change, N to destroy; plan JSON PATH`.
set -euo pipefail

usage() { echo "usage: $0 init|plan|apply|destroy|e2e ENV moto|aws" >&2; exit 2; }
[[ $# -eq 3 ]] || usage
action="$1" env="$2" target="$3"
case "${action}" in init | plan | apply | destroy | e2e) ;; *) usage ;; esac
case "${target}" in moto | aws) ;; *) usage ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
known_envs() { # in promotion order (dev, staging, prod, then the rest by name), as the generator lists them
  local d name names=()
  for name in dev staging prod; do [[ -d "${root}/envs/${name}" ]] && names+=("${name}"); done
  for d in "${root}"/envs/*/; do
    name="$(basename "${d}")"
    [[ -d "${d}" && ! " dev staging prod " =~ \ ${name}\  ]] && names+=("${name}")
  done
  echo "${names[*]:-none}"
}
# A name, not a path: ENV=../x or ENV='a b' would reach outside envs/ and .moto/work/.
[[ "${env}" =~ ^[a-z0-9][a-z0-9_-]*$ ]] || {
  echo "tf-run: ENV '${env}' is not an environment name (known: $(known_envs))" >&2
  exit 2
}
env_dir="${root}/envs/${env}"
[[ -d "${env_dir}" ]] || { echo "tf-run: no environment root envs/${env} (known: $(known_envs))" >&2; exit 2; }
[[ -f "${env_dir}/terraform.tfvars" ]] || {
  echo "${env_dir}/terraform.tfvars is missing: generate it (make generate)" >&2
  exit 2
}

# A saved plan (TF_PLAN_FILE) is applied on AWS only, and must exist: checked before Terraform starts.
if [[ -n "${TF_PLAN_FILE:-}" ]]; then
  [[ "${action}" == apply && "${target}" == aws ]] || {
    echo "TF_PLAN_FILE (PLAN_FILE) applies a saved plan: apply on TARGET=aws only" >&2
    exit 2
  }
  [[ ! -d "${TF_PLAN_FILE}" ]] || { echo "TF_PLAN_FILE=${TF_PLAN_FILE}: a directory, not a saved plan (plan.tfplan)" >&2; exit 2; }
  [[ -f "${TF_PLAN_FILE}" ]] || { echo "TF_PLAN_FILE=${TF_PLAN_FILE}: no such saved plan" >&2; exit 2; }
  TF_PLAN_FILE="$(cd "$(dirname "${TF_PLAN_FILE}")" && pwd)/$(basename "${TF_PLAN_FILE}")" # terraform runs with -chdir
fi

# A plan of a tfvars older than its sizing.yaml plans what nobody asked for: refuse it before Terraform starts.
# AURORA_GEN_PYTHON: a Python with the generator installed (default .venv/bin/python).
check_current() {
  local py="${AURORA_GEN_PYTHON:-${root}/.venv/bin/python}" out rc=0
  [[ -x "${py}" ]] || { echo "tf-run: ${py} not found: run make setup (it checks envs/${env}/terraform.tfvars is current)" >&2; exit 2; }
  out="$("${py}" -m generator --root "${root}" render --check --env "${env}" 2>&1)" || rc=$?
  case "${rc}" in
    0) ;;
    1) echo "envs/${env}/terraform.tfvars is stale (envs/${env}/sizing.yaml changed since it was rendered): run make generate (aurora-gen render --env ${env})" >&2
       exit 2 ;; # refused input, like a malformed one (render --check's 1 means "stale found", not "refused")
    *) printf '%s\n' "${out}" | head -n1 >&2; exit 2 ;;
  esac
}
case "${action}" in plan | apply | e2e) check_current ;; esac

TF_CLI_CONFIG_FILE="$("${root}/scripts/tf-cli-config.sh")"
export TF_CLI_CONFIG_FILE TF_IN_AUTOMATION=1 TF_INPUT=0
read -r -a extra_args <<<"${TF_RUN_ARGS:-}"
no_color=()
[[ -t 1 && -t 2 ]] || no_color=(-no-color)
# The closing line of a plan (scripts/plan_summary.py), the plan JSON's path shown relative to the repository.
plan_summary() { "$1" "${root}/scripts/plan_summary.py" "${env}" "${target}" "$2" "${2#"${root}"/}"; }

# ---------------------------------------------------------------------------------------------------
# Real AWS
# ---------------------------------------------------------------------------------------------------
aws_init() {
  local override="${env_dir}/backend_override.tf" marker="# generated by scripts/tf-run.sh"
  local -a backend_args=()
  if [[ -f "${env_dir}/backend-s3.hcl" ]]; then
    printf '%s from backend-s3.hcl: selects the S3 backend (gitignored)\nterraform {\n  backend "s3" {}\n}\n' "${marker}" >"${override}"
    backend_args=(-backend-config=backend-s3.hcl)
  elif [[ -f "${override}" ]] && head -n1 "${override}" | grep -qF "${marker}"; then
    rm -f "${override}"
  fi
  terraform -chdir="${env_dir}" init -input=false "${no_color[@]}" "${backend_args[@]}" >/dev/null
}

if [[ "${target}" == aws ]]; then
  aws_init
  case "${action}" in
    init) ;;
    plan)
      plan_out="${TF_PLAN_OUT:-${root}/.plans/${env}/plan.tfplan}"
      mkdir -p "$(dirname "${plan_out}")"
      plan_out="$(cd "$(dirname "${plan_out}")" && pwd)/$(basename "${plan_out}")"
      terraform -chdir="${env_dir}" plan -input=false "${no_color[@]}" -out="${plan_out}" "${extra_args[@]}"
      terraform -chdir="${env_dir}" show -json "${plan_out}" >"${plan_out%.*}.json"
      plan_summary python3 "${plan_out%.*}.json"
      ;;
    apply)
      if [[ -n "${TF_PLAN_FILE:-}" ]]; then
        terraform -chdir="${env_dir}" apply -input=false "${no_color[@]}" "${TF_PLAN_FILE}"
      else
        terraform -chdir="${env_dir}" apply -input=false "${no_color[@]}" "${extra_args[@]}"
      fi
      ;;
    destroy) terraform -chdir="${env_dir}" destroy -input=false "${no_color[@]}" "${extra_args[@]}" ;;
    e2e) echo "e2e runs on the emulator only (TARGET=moto)" >&2; exit 2 ;;
  esac
  exit 0
fi

# ---------------------------------------------------------------------------------------------------
# moto
# ---------------------------------------------------------------------------------------------------
python="${MOTO_PYTHON:-${root}/.venv/bin/python}"
"${python}" -c 'import moto.server, boto3' 2>/dev/null || {
  echo "${python} lacks moto[server]/boto3: run make setup (or set MOTO_PYTHON)" >&2
  exit 2
}
emulator="${root}/scripts/moto_emulator.py"
override="${EMULATOR_OVERRIDE:-${root}/scripts/emulator/emulator_override.tf}"
"${python}" "${root}/scripts/emulator/check_override.py" "${override}" || exit 2 # it said why
work="${root}/.moto/work/${env}"
tf_timeout="${TF_MOTO_TIMEOUT:-240}"

prepare_workdir() {
  mkdir -p "${work}"
  ln -sfn ../modules "${root}/.moto/modules" 2>/dev/null || true
  # module source ../../modules/... resolves to .moto/modules from .moto/work/ENV
  find "${work}" -maxdepth 1 -type l -delete
  local f
  for f in "${env_dir}"/*.tf "${env_dir}/terraform.tfvars"; do
    [[ "${f}" == *_override.tf ]] && continue
    ln -s "${f}" "${work}/$(basename "${f}")"
  done
  cp "${env_dir}/.terraform.lock.hcl" "${work}/.terraform.lock.hcl"
  cp "${override}" "${work}/emulator_override.tf"
}

# A Terraform command in the working copy. Its failure is Terraform's to explain, but for two causes of
# ours, named in one closing line (exit 2): the time limit, and the emulator dying under it.
tf() {
  local rc=0
  timeout --kill-after=10 "${tf_timeout}" terraform -chdir="${work}" "$@" || rc=$?
  [[ ${rc} -ne 0 ]] || return 0
  if [[ ${rc} -eq 124 || ${rc} -eq 137 ]]; then
    echo "tf-run: terraform $1 took over ${tf_timeout} s on the emulator and was stopped (TF_MOTO_TIMEOUT)" >&2
    exit 2
  fi
  if ${emulator_up} && ! "${python}" "${emulator}" status >/dev/null 2>&1; then
    echo "tf-run: the moto server stopped while terraform $1 ran (see .moto/server.log): run make ${action} ENV=${env} again" >&2
    exit 2
  fi
  return "${rc}"
}

started_here=false emulator_up=false
start_emulator() {
  if ! "${python}" "${emulator}" status >/dev/null 2>&1; then
    started_here=true
    # A new emulator is empty: state left from an earlier one describes nothing.
    rm -f "${work}"/terraform.tfstate "${work}"/terraform.tfstate.backup
  fi
  local port
  port="$("${python}" "${emulator}" start --owner $$ --tfvars "${env_dir}/terraform.tfvars")" || exit 2 # it said why
  export AWS_ENDPOINT_URL="http://127.0.0.1:${port}"
  export AWS_ACCESS_KEY_ID=moto AWS_SECRET_ACCESS_KEY=moto
  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  export AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=2 AWS_RETRY_MODE=standard
  unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
  emulator_up=true
  echo "moto emulator at ${AWS_ENDPOINT_URL} (working copy ${work#"${root}"/})" >&2
}
stop_emulator() { "${python}" "${emulator}" stop; }

prepare_workdir
tf init -input=false "${no_color[@]}" >/dev/null

case "${action}" in
  init) ;;
  plan)
    start_emulator
    trap '${started_here} && stop_emulator' EXIT
    tf plan -input=false "${no_color[@]}" -out=plan.tfplan "${extra_args[@]}"
    # The same plan as JSON, for the policy checks: make policy PLAN=.moto/work/<env>/plan.json
    tf show -json plan.tfplan >"${work}/plan.json"
    plan_summary "${python}" "${work}/plan.json"
    ;;
  apply)
    start_emulator
    trap 'rc=$?; if [[ ${rc} -ne 0 ]] && ${started_here}; then stop_emulator; fi' EXIT
    tf apply -input=false -auto-approve "${no_color[@]}" "${extra_args[@]}"
    "${python}" "${emulator}" keep # its state means something now: it outlives this run
    echo "moto keeps running with these resources: make destroy ENV=${env} (or make moto-stop) ends it." >&2
    ;;
  destroy)
    start_emulator
    trap 'stop_emulator' EXIT
    tf destroy -input=false -auto-approve "${no_color[@]}" "${extra_args[@]}"
    ;;
  e2e)
    stop_emulator # a fresh, empty emulator
    start_emulator
    trap 'stop_emulator' EXIT
    t0=${SECONDS}
    echo "== e2e ${env}: apply" >&2
    tf apply -input=false -auto-approve "${no_color[@]}" "${extra_args[@]}"
    echo "== e2e ${env}: re-plan (must show no change but documented emulator quirks)" >&2
    tf plan -input=false "${no_color[@]}" -out=e2e.tfplan "${extra_args[@]}" >/dev/null
    tf show -json e2e.tfplan >"${work}/e2e.plan.json"
    "${python}" "${root}/scripts/tf_plan_check.py" "${work}/e2e.plan.json"
    echo "== e2e ${env}: seed a day of CloudWatch metrics (capped at max ACU), then aurora-gen observe" >&2
    "${python}" "${root}/scripts/observe_seed.py" "${env}" >&2
    observed="$("${python}" -m generator --root "${root}" observe --env "${env}" --days 1)"
    grep -q "observe.max_acu_saturated" <<<"${observed}" \
      || { echo "${observed}" >&2; echo "e2e: observe did not report the seeded cap (observe.max_acu_saturated)" >&2; exit 1; }
    echo "observe: the seeded cap found (observe.max_acu_saturated)" >&2
    echo "== e2e ${env}: destroy (one line per resource destroyed)" >&2
    # Terraform's destroy log is long; its completion lines (and 'Still destroying' every 10 s) show progress.
    tf destroy -input=false -auto-approve -no-color "${extra_args[@]}" \
      | { grep --line-buffered -E 'Destruction complete|Still destroying|Destroy complete!' || true; } >&2
    left="$("${python}" -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("resources", [])))' "${work}/terraform.tfstate")"
    [[ "${left}" == 0 ]] || { echo "e2e: ${left} resources left in state after destroy" >&2; exit 1; }
    echo "e2e ${env}: apply, clean re-plan, observe and destroy in $((SECONDS - t0)) s" >&2
    ;;
esac
