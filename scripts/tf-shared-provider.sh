#!/usr/bin/env bash
# Run COMMAND with one hashicorp/aws provider process that every terraform in it attaches to.
#
# `terraform test` starts the provider four times per run block (validate and plan, the default and the
# secondary alias) although the mock providers only ask it for its schema: with ~150 run blocks that was
# 600 starts of a 700 MB binary, three quarters of the suite's terraform CPU time. Here the provider runs
# once in its debug mode and terraform attaches to it (TF_REATTACH_PROVIDERS, Terraform's documented way to
# use a provider that is already running). The run blocks, mocks and assertions are the same.
#
# It is the provider the lock files pin: every DIR's .terraform.lock.hcl must name the same hashicorp/aws
# version, and the binary is the one `terraform init` installed in the first DIR (make tf-init).
#
# GOGC=400 (unless set): terraform and the provider are short-lived and allocate heavily; collecting less
# often cuts their CPU time by a quarter (measured) for ~0.5 GB more memory per terraform process.
#
# Usage: scripts/tf-shared-provider.sh DIR... -- COMMAND [ARG...]
set -euo pipefail

dirs=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  dirs+=("$1")
  shift
done
if [[ $# -lt 2 || ${#dirs[@]} -eq 0 ]]; then
  echo "usage: $0 DIR... -- COMMAND [ARG...]" >&2
  exit 2
fi
shift

lock_version() {
  sed -n '/^provider "registry.terraform.io\/hashicorp\/aws"/,/^}/s/^ *version *= *"\([^"]*\)".*/\1/p' "$1/.terraform.lock.hcl"
}

version="$(lock_version "${dirs[0]}")"
[[ -n "$version" ]] || { echo "tf-shared-provider: ${dirs[0]}/.terraform.lock.hcl pins no hashicorp/aws version" >&2; exit 1; }
for d in "${dirs[@]}"; do
  v="$(lock_version "$d")"
  [[ "$v" == "$version" ]] || {
    echo "tf-shared-provider: $d/.terraform.lock.hcl pins hashicorp/aws ${v:-nothing}, ${dirs[0]} pins $version: one shared provider cannot serve both" >&2
    exit 1
  }
done

# (One <os>_<arch> folder: init installs the provider for this machine only.)
binary="$(compgen -G "${dirs[0]}/.terraform/providers/registry.terraform.io/hashicorp/aws/$version/*/terraform-provider-aws*" | head -n1 || true)"
[[ -x "$binary" ]] || { echo "tf-shared-provider: no hashicorp/aws $version in ${dirs[0]}/.terraform (run make tf-init)" >&2; exit 1; }

log="$(mktemp "${TMPDIR:-/tmp}/tf-shared-provider.XXXXXX")"
export GOGC="${GOGC:-400}"
"$binary" -debug >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

# The provider prints the line to attach with once it listens (about a second; a loaded machine is slower).
reattach=""
for _ in $(seq 1200); do
  reattach="$(sed -n "s/^[[:space:]]*TF_REATTACH_PROVIDERS='\(.*\)'$/\1/p" "$log")"
  [[ -z "$reattach" ]] || break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$reattach" ]]; then
  echo "tf-shared-provider: $binary -debug did not start in 120 s: $(tail -n1 "$log")" >&2
  exit 1
fi

export TF_REATTACH_PROVIDERS="$reattach"
"$@"
