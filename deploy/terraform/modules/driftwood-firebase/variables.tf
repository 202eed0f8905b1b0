variable "project_id" {
  description = "The Google Cloud project Firebase is added to (it exists and has billing)."
  type        = string
}

variable "environment" {
  description = "dev, staging or production."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment must be dev, staging or production."
  }
}

variable "firestore_location" {
  description = "Firestore location id: a multi-region such as nam5 or eur3, or a region such as europe-west1. Cannot change once created."
  type        = string
}

variable "storage_location" {
  description = "Location of the evidence bucket, e.g. US, EU or europe-west1."
  type        = string
}

variable "storage_bucket_name" {
  description = "Name of the evidence bucket. Empty: <project_id>-evidence."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "Refuse to delete the Firestore database and the bucket's files through Terraform."
  type        = bool
  default     = true
}
