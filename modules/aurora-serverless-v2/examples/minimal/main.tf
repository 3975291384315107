# The fewest inputs: everything else is the module's secure default (CMK encryption, RDS-managed master
# password, RDS Proxy with TLS and IAM auth required, deletion protection, final snapshot, AWS Backup
# with cross-region copies, alarms on an encrypted topic).

provider "aws" {
  region = "us-east-1"
}

# The DR region: cross-region copies of the backups (on by default).
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "minimal-aurora"
  environment = "example"

  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"] # the application: admitted by the proxy only

  min_capacity = 0.5
  max_capacity = 4
}

output "proxy_endpoint" {
  description = "Where applications connect (TLS, IAM authentication)."
  value       = module.aurora.proxy_endpoint
}

output "max_connections" {
  description = "max_connections of each instance, fixed by max ACU."
  value       = module.aurora.max_connections
}
