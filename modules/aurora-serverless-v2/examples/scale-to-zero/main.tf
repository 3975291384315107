# A dev database that pauses when idle: min 0 ACU (auto-pause after seconds_until_auto_pause), no RDS
# Proxy (a proxy keeps connections open, so the cluster could never pause; the module refuses both),
# no cross-region backup copies, and no deletion protection or final snapshot: throw-away data.

provider "aws" {
  region = "eu-west-1"
}

# Still required by the module's interface; nothing is created there without cross-region copies.
provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "dev-aurora"
  environment = "dev"

  vpc_id              = "vpc-0123456789abcdef0"
  subnet_ids          = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks = ["10.0.0.0/16"] # without a proxy the clients reach the cluster itself

  engine_version           = "16.6" # auto-pause needs 13.15+, 14.12+, 15.7+ or 16.3+
  min_capacity             = 0
  max_capacity             = 4
  seconds_until_auto_pause = 600

  proxy                    = { enabled = false }
  backup_cross_region_copy = false
  backup_retention_period  = 1
  snapshot_schedule        = { daily_retention_days = 3, weekly_retention_weeks = 0, monthly_retention_months = 0 }
  deletion_protection      = false
  skip_final_snapshot      = true

  monthly_budget_usd = 50
}

output "cluster_endpoint" {
  description = "Writer endpoint (TLS; the first connection after a pause waits for the resume)."
  value       = module.aurora.cluster_endpoint
}

output "sizing" {
  description = "Capacity range and auto-pause timer."
  value       = module.aurora.sizing
}
