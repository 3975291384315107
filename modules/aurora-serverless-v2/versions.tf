terraform {
  # 1.9: cross-variable validation; 1.10/1.11: ephemeral resources and write-only attributes (global database).
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 5.100.0, < 6.0.0"
      configuration_aliases = [aws.dr]
    }
  }
}
