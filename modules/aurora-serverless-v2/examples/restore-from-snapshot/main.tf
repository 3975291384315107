# A new cluster restored from a cluster snapshot, e.g. to rehearse a restore or to build staging from a
# copy of prod. The snapshot's database and master user are kept; the module's key re-encrypts the data
# and RDS manages a new master password in Secrets Manager. Changing snapshot_identifier later replaces
# the cluster: restore into a new module instance (a new name), never over the live one.
#
# A point-in-time copy works the same way with, instead of snapshot_identifier:
#   restore_to_point_in_time = { source_cluster_identifier = "mistersmith-prod", use_latest_restorable_time = true }

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

variable "snapshot_identifier" {
  description = "The cluster snapshot to restore (identifier, or ARN for a shared snapshot)."
  type        = string
  default     = "mistersmith-prod-2026-01-31"
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "restore-rehearsal"
  environment = "staging"

  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  admin_security_group_ids   = ["sg-0fedcba9876543210"] # the bastion that checks the restored data

  snapshot_identifier = var.snapshot_identifier

  min_capacity = 2
  max_capacity = 16
}

output "cluster_endpoint" {
  description = "Writer endpoint of the restored cluster (administrators)."
  value       = module.aurora.cluster_endpoint
}

output "proxy_endpoint" {
  description = "Where applications connect."
  value       = module.aurora.proxy_endpoint
}
