#!/usr/bin/env bash
# The rules that judge a pull request, taken from its base branch, never from the pull request itself:
#
#   scripts/ci-trusted.sh BASE DIR
#
# Extracts from BASE's tree (git archive: the object database, not the working tree) into DIR (emptied
# first): policies/ (the checks, policies/limits.yaml, the checkov checks), generator/ (the policies import
# it: its functions, prices and AWS limits), .checkov.yaml, scripts/emulator/ (the emulator override) and
# scripts/ci_changes.py (which decides what runs).
# `make policy TRUSTED=DIR` then runs DIR's `python -m policies --root <this tree> --limits
# DIR/policies/limits.yaml` and checkov with DIR's configuration and checks; `make plan TRUSTED=DIR` uses
# DIR's emulator override. Exit 2 with one line: no such commit, or a DIR that is not under reports/.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 BASE DIR" >&2; exit 2; }
base="$1" dir="$2"
# DIR is emptied: only a directory of the gitignored reports/ may be.
[[ "${dir}" =~ ^reports/[A-Za-z0-9_.-]+$ && "${dir}" != *..* ]] || {
  echo "ci-trusted: DIR '${dir}' must be a directory directly under reports/" >&2
  exit 2
}
commit=""
[[ "${base}" == -* ]] || commit="$(git rev-parse -q --verify "${base}^{commit}")" || true
[[ -n "${commit}" ]] || { echo "ci-trusted: no commit '${base}' here (fetch it: git fetch origin)" >&2; exit 2; }

paths=()
for p in policies generator .checkov.yaml scripts/emulator scripts/ci_changes.py; do
  [[ -z "$(git ls-tree --name-only "${commit}" -- "${p}")" ]] || paths+=("${p}")
done
[[ ${#paths[@]} -gt 0 ]] || { echo "ci-trusted: ${base} has no policies/" >&2; exit 2; }

rm -rf "${dir}"
mkdir -p "${dir}"
git archive --format=tar "${commit}" -- "${paths[@]}" | tar -x -C "${dir}"
echo "${commit}" >"${dir}/BASE_COMMIT"
echo "ci-trusted: the rules of ${base} (${commit:0:12}) in ${dir}: ${paths[*]}"
