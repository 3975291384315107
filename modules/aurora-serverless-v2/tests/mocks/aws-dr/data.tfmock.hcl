# Data sources of the DR-region provider (alias aws.dr) in the module's tests.
mock_data "aws_region" {
  defaults = { id = "us-west-2" } # id, not name: the module reads id (6.x deprecates name)
}
