#!/usr/bin/env bash
# Deploy CI (.github/workflows/deploy-env.yml): point ENV's root at its S3 state by writing
# envs/ENV/backend-s3.hcl (gitignored; the layout of envs/ENV/backend-s3.hcl.example) from the GitHub
# environment's variables. A deploy never falls back to local state: it would vanish with the runner.
#
#   scripts/ci-backend.sh ENV BUCKET REGION
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 ENV BUCKET REGION" >&2; exit 2; }
env="$1" bucket="$2" region="$3"
root="$(cd "$(dirname "$0")/.." && pwd)"
# A name under envs/ (ENV=../modules/aurora-serverless-v2 has a main.tf too) that is in the state key.
[[ "${env}" =~ ^[a-z0-9][a-z0-9_-]*$ && -f "${root}/envs/${env}/main.tf" ]] || {
  echo "ci-backend: no environment root envs/${env}" >&2
  exit 2
}
# The plan job runs in the GitHub environment <env>-plan, the apply job in <env>: both hold the variables.
where="the GitHub environments ${env}-plan and ${env}"
# S3 bucket naming rules and the region's shape: nothing else reaches the HCL file.
[[ "${bucket}" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || {
  echo "ci-backend: TF_STATE_BUCKET '${bucket}' is not an S3 bucket name: set the variable in ${where}" >&2
  exit 2
}
[[ "${region}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || {
  echo "ci-backend: AWS_REGION '${region}' is not an AWS region: set the variable in ${where}" >&2
  exit 2
}
cat >"${root}/envs/${env}/backend-s3.hcl" <<HCL
# written by scripts/ci-backend.sh
bucket       = "${bucket}"
key          = "mistersmith-aurora/${env}/terraform.tfstate"
region       = "${region}"
encrypt      = true
use_lockfile = true
HCL
echo "ci-backend: envs/${env} uses s3://${bucket}/mistersmith-aurora/${env}/terraform.tfstate (${region})"
