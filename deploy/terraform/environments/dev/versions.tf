# The same exact versions as modules/driftwood-firebase/versions.tf, plus the local provider.
terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "= 6.40.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "= 6.40.0"
    }
    local = {
      source  = "hashicorp/local"
      version = "= 2.5.2"
    }
  }

  # State holds the server's private key: keep it in a private, encrypted bucket, never in git.
  # terraform init -backend-config="bucket=<your state bucket>"
  backend "gcs" {
    prefix = "driftwood/dev"
  }
}
