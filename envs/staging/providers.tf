# Credentials, endpoints and retries come from the environment (AWS_PROFILE, AWS_ENDPOINT_URL, ...).
# Nothing emulator-specific lives here: `make plan TARGET=moto` sets it all through environment variables.

provider "aws" {
  region = var.aws_region
}

provider "aws" {
  alias  = "dr"
  region = var.dr_region
}
