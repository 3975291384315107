terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # No backend block: state is local (terraform.tfstate here, gitignored). For S3 with native locking
  # (use_lockfile), copy backend-s3.hcl.example to backend-s3.hcl and run `make tf-init`: it adds a
  # gitignored backend_override.tf with `backend "s3" {}` and passes -backend-config=backend-s3.hcl.
}
