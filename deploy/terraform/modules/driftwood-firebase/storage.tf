# The evidence bucket: private (no public access, uniform access), linked to Firebase so the
# repository's storage.rules apply to browsers, which those rules shut out entirely. The server
# reads and writes it with its service account, which rules do not apply to.

locals {
  storage_bucket_name = var.storage_bucket_name != "" ? var.storage_bucket_name : "${var.project_id}-evidence"
}

resource "google_storage_bucket" "evidence" {
  provider = google-beta
  project  = google_firebase_project.default.project

  name                        = local.storage_bucket_name
  location                    = var.storage_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection

  versioning {
    enabled = var.environment == "production"
  }

  depends_on = [google_project_service.default]
}

resource "google_firebase_storage_bucket" "evidence" {
  provider  = google-beta
  project   = google_firebase_project.default.project
  bucket_id = google_storage_bucket.evidence.id
}

resource "google_firebaserules_ruleset" "storage" {
  provider = google-beta
  project  = google_firebase_project.default.project

  source {
    files {
      name    = "storage.rules"
      content = file("${path.module}/../../../../storage.rules")
    }
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [google_firebase_storage_bucket.evidence]
}

resource "google_firebaserules_release" "storage" {
  provider = google-beta
  project  = google_firebase_project.default.project

  name         = "firebase.storage/${google_storage_bucket.evidence.name}"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.storage.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.storage]
  }
}
