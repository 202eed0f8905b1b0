# Exact provider versions: a plan made today is the plan made next month. Upgrade on purpose,
# here and in each environment's versions.tf, and commit the new .terraform.lock.hcl.
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
  }
}
