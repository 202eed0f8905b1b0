# The browser's Firebase app: its config gives NEXT_PUBLIC_FIREBASE_* (public by design; Firestore
# rules, not the API key, decide what a browser may read).

resource "google_firebase_web_app" "default" {
  provider     = google-beta
  project      = google_firebase_project.default.project
  display_name = "Driftwood (${var.environment})"

  deletion_policy = "DELETE"
}

data "google_firebase_web_app_config" "default" {
  provider   = google-beta
  project    = google_firebase_project.default.project
  web_app_id = google_firebase_web_app.default.app_id
}
