# An Aurora Global Database: the primary cluster in us-east-1 and a read-only secondary in us-west-2
# (seconds of RPO; promote it if the primary region fails). A global database cannot use the RDS-managed
# master secret: the password comes in as an ephemeral variable (never in state or plan) and the module
# writes it, write-only, to the cluster and to its own KMS-encrypted secret. Rotate it by passing a new
# password and raising master_password_version.

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

# From a secret store at plan and apply time (TF_VAR_master_password), or generated inside the root with
#   ephemeral "aws_secretsmanager_random_password" "master" { password_length = 40, exclude_punctuation = true }
# (terraform test's mock providers cannot mock ephemeral resources, hence the variable here).
variable "master_password" {
  description = "Master password of the global database (ephemeral: never stored)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "master_password_version" {
  description = "Raise by one with each new master_password."
  type        = number
  default     = 1
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "global-aurora"
  environment = "prod"

  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]

  min_capacity           = 2
  max_capacity           = 32
  reader_promotion_tiers = [1]

  master_password         = var.master_password
  master_password_version = var.master_password_version

  global_database = {
    enabled                    = true
    vpc_id                     = "vpc-0fedcba9876543210"
    subnet_ids                 = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    allowed_security_group_ids = ["sg-0fedcba9876543210"] # the application in the secondary region
    instance_count             = 2
  }
}

output "global_cluster_id" {
  description = "Global cluster identifier."
  value       = module.aurora.global_cluster_id
}

output "secondary_cluster_endpoint" {
  description = "Endpoint of the secondary cluster (read-only until promoted)."
  value       = module.aurora.secondary_cluster_endpoint
}
