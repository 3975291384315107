#!/usr/bin/env bash
# make ci-pr: what the pull-request workflow runs, here, against ARG_BASE (make's BASE, default origin/main).
#
#   1. The rules: scripts/ci-trusted.sh extracts the base's policies/, generator/, .checkov.yaml,
#      scripts/emulator/ and scripts/ci_changes.py into reports/trusted; every policy check and plan below uses them.
#   2. What changed: the base's scripts/ci_changes.py (this tree's when the base has none), into
#      reports/ci/changes.json (the comment reads its `rules`: a change to the rules is shown as such).
#   3. The toolkit's tests (make test) when the toolkit changed; else `aurora-gen render --check` only.
#   4. Per changed environment: make plan (emulator), make policy on its plan, make ci-collect. None changed:
#      the HCL policy checks of every environment.
#   5. The cost diff against the base, make report-html, the comment (reports/ci/comment.md).
# With no such BASE here: the whole suite, every environment, judged by this tree's own rules (said so).
# Environment: MAKE, BIN (.venv/bin), ARG_BASE. Exit 1 when a step or a check failed, 2 on bad input.
set -uo pipefail

base="${ARG_BASE:-origin/main}"
bin="${BIN:-.venv/bin}"
ci=reports/ci
trusted=reports/trusted
t0=${SECONDS} rc=0
run_make() { "${MAKE:-make}" --no-print-directory "$@"; }

rm -rf "${ci}"
mkdir -p "${ci}"
rules=()
if [[ "${base}" != -* ]] && git rev-parse -q --verify "${base}^{commit}" >/dev/null; then
  scripts/ci-trusted.sh "${base}" "${trusted}" || exit 2
  rules=(TRUSTED="${trusted}")
  changes_py="${trusted}/scripts/ci_changes.py"
  [[ -f "${changes_py}" ]] || changes_py=scripts/ci_changes.py
  python3 "${changes_py}" --base "${base}" >"${ci}/changes.json" || exit 2
  diff_base="${base}"
else
  echo "== ci-pr: no commit '${base}' here: the whole suite, judged by this tree's own rules (not a pull request's gate)"
  python3 scripts/ci_changes.py --all >"${ci}/changes.json" || exit 2
  diff_base=HEAD
fi
# shellcheck disable=SC2046 # one word each: true/false, then environment names ([a-z0-9_-])
set -- $(python3 -c 'import json, sys; c = json.load(sys.stdin); print(str(c["toolkit"]).lower(), *c["envs"])' <"${ci}/changes.json")
toolkit="$1"
shift
envs=("$@")
echo "== ci-pr: against ${base}: toolkit changed: ${toolkit}; environments to plan: ${envs[*]:-none}"

tests=skipped
if [[ "${toolkit}" == true ]]; then
  tests=success
  run_make test || { rc=1; tests=failure; }
else
  echo "== ci-pr: sizing-only change: the toolkit's tests are skipped; aurora-gen render --check"
  "${bin}/aurora-gen" render --check || rc=1
fi

for env in "${envs[@]}"; do
  echo "== ci-pr: ${env}: plan on the emulator, then the policy checks on its plan"
  rm -f ".moto/work/${env}/plan.json" reports/policy-summary.md reports/policy-junit.xml reports/policy.sarif
  rm -rf reports/checkov
  run_make plan ENV="${env}" "${rules[@]}" || rc=1
  plan=()
  [[ ! -f ".moto/work/${env}/plan.json" ]] || plan=(PLAN=".moto/work/${env}/plan.json")
  run_make policy "${plan[@]}" "${rules[@]}" || rc=1
  run_make ci-collect ENV="${env}"
done
if [[ ${#envs[@]} -eq 0 ]]; then
  echo "== ci-pr: no environment to plan: the HCL policy checks of every environment"
  run_make policy-hcl "${rules[@]}" || rc=1
fi

echo "== ci-pr: cost diff against ${diff_base}"
# JSON: the comment's table takes each environment's cost change and new warnings from it.
"${bin}/aurora-gen" diff --base "${diff_base}" --format json >"${ci}/cost-diff.json" || rc=1
run_make report-html || rc=1
"${bin}/python" scripts/pr_comment.py "${ci}" --diff "${ci}/cost-diff.json" --tests "${tests}" \
  --out "${ci}/comment.md" || rc=1
echo "== ci-pr: $([[ ${rc} == 0 ]] && echo passed || echo FAILED) in $((SECONDS - t0)) s; the comment: ${ci}/comment.md"
exit "${rc}"
