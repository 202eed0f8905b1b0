# Driftwood's Firebase: the project, Firestore with the repository's rules and indexes, the web app,
# the evidence bucket with the repository's storage rules, and the server's service account.
# The rules and indexes are read from the repository root, the same files firebase.json names, so
# `firebase deploy` and `terraform apply` deploy the same thing.

locals {
  # The APIs the resources below and the running app use.
  services = toset([
    "cloudresourcemanager.googleapis.com",
    "serviceusage.googleapis.com",
    "iam.googleapis.com",
    "firebase.googleapis.com",
    "firestore.googleapis.com",
    "firebaserules.googleapis.com",
    "firebasestorage.googleapis.com",
    "storage.googleapis.com",
    "identitytoolkit.googleapis.com",
  ])

  # Composite indexes from firestore.indexes.json (the Firebase CLI's format), keyed by a stable name.
  firestore_indexes = {
    for index in jsondecode(file("${path.module}/../../../../firestore.indexes.json")).indexes :
    join("-", concat([index.collectionGroup], [for field in index.fields : field.fieldPath])) => index
  }
}

resource "google_project_service" "default" {
  provider = google-beta
  for_each = local.services

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_firebase_project" "default" {
  provider = google-beta
  project  = var.project_id

  depends_on = [google_project_service.default]
}

resource "google_firestore_database" "default" {
  provider = google-beta
  project  = google_firebase_project.default.project

  name                    = "(default)"
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "OPTIMISTIC"
  delete_protection_state = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy         = var.deletion_protection ? "ABANDON" : "DELETE"
}

resource "google_firebaserules_ruleset" "firestore" {
  provider = google-beta
  project  = google_firebase_project.default.project

  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../../../../firestore.rules")
    }
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [google_firestore_database.default]
}

resource "google_firebaserules_release" "firestore" {
  provider = google-beta
  project  = google_firebase_project.default.project

  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}

resource "google_firestore_index" "default" {
  provider = google-beta
  for_each = local.firestore_indexes

  project     = google_firebase_project.default.project
  database    = google_firestore_database.default.name
  collection  = each.value.collectionGroup
  query_scope = try(each.value.queryScope, "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = try(fields.value.order, null)
      array_config = try(fields.value.arrayConfig, null)
    }
  }
}
