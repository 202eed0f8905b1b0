# The server's identity (FIREBASE_CLIENT_EMAIL / FIREBASE_PRIVATE_KEY): firebase-admin writes live
# documents, mints custom tokens and reads and writes evidence with it.
#
# Roles, no more than that:
# - roles/datastore.user on the project: read and write Firestore documents;
# - roles/storage.objectAdmin on the evidence bucket only: create, read and delete evidence files.
# Custom tokens need no role: with a key, firebase-admin signs them itself (no IAM signBlob call, so
# no roles/iam.serviceAccountTokenCreator), and Firebase Auth accepts tokens signed by any service
# account of the project.

resource "google_service_account" "server" {
  provider     = google-beta
  project      = google_firebase_project.default.project
  account_id   = "driftwood-server"
  display_name = "Driftwood server (${var.environment})"
  description  = "firebase-admin in the Driftwood app and worker: live documents, custom tokens, evidence files."
}

resource "google_project_iam_member" "server_datastore" {
  provider = google-beta
  project  = google_firebase_project.default.project
  role     = "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.server.email}"
}

resource "google_storage_bucket_iam_member" "server_evidence" {
  provider = google-beta
  bucket   = google_storage_bucket.evidence.name
  role     = "roles/storage.objectAdmin"
  member   = "serviceAccount:${google_service_account.server.email}"
}

# The key lands in Terraform state: keep state in an encrypted remote backend with restricted access
# (see README.md). Replace it with `terraform apply -replace=module.firebase.google_service_account_key.server`.
resource "google_service_account_key" "server" {
  provider           = google-beta
  service_account_id = google_service_account.server.name
}
