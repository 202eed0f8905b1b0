# Driftwood's Firebase, dev. Apply from this folder (see deploy/terraform/README.md).

variable "project_id" {
  description = "The Google Cloud project of Driftwood's dev environment."
  type        = string
  default     = "driftwood-dev"
}

locals {
  environment = "dev"
}

provider "google" {
  project               = var.project_id
  user_project_override = true
  billing_project       = var.project_id
}

provider "google-beta" {
  project               = var.project_id
  user_project_override = true
  billing_project       = var.project_id
}

module "firebase" {
  source = "../../modules/driftwood-firebase"

  project_id          = var.project_id
  environment         = local.environment
  firestore_location  = "nam5"
  storage_location    = "US"
  deletion_protection = false
}

# The app's .env for this environment, readable by its owner only (0600). It holds the server's
# private key: copy it to where the app runs (or into a secret manager) and delete it here.
resource "local_sensitive_file" "env" {
  filename             = "${path.module}/.env.${local.environment}"
  content              = module.firebase.env_file
  file_permission      = "0600"
  directory_permission = "0700"
}

output "env_file" {
  description = "The .env text (terraform output -raw env_file)."
  value       = module.firebase.env_file
  sensitive   = true
}

output "env_file_path" {
  value = local_sensitive_file.env.filename
}
