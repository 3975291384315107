terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # No backend block: state is local (terraform.tfstate here, gitignored). For S3 with native locking
  # (use_lockfile), copy backend-s3.hcl.example to backend-s3.hcl: scripts/tf-run.sh (make plan|apply|destroy
  # TARGET=aws) then writes a gitignored backend_override.tf with `backend "s3" {}` and runs init with
  # -backend-config=backend-s3.hcl. (make tf-init runs init with -backend=false and touches no backend.)
}
