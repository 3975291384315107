terraform {
  # 1.9: cross-variable validation; 1.10/1.11: ephemeral resources and write-only attributes (global database).
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100 and 6.x: nothing here uses what 6.0 removed or deprecated (data.aws_region's name: the
      # module reads its id, the region name on both). Only 5.100.0 is tested offline (README).
      version               = ">= 5.100.0, < 7.0.0"
      configuration_aliases = [aws.dr]
    }
  }
}
