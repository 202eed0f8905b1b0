locals {
  # The credentials JSON file Google issues; the app takes its email and PEM key as two variables.
  server_credentials = jsondecode(base64decode(google_service_account_key.server.private_key))

  # Exactly the variables server/env.ts reads for Firebase (deploy/terraform/terraform.test.ts checks
  # every name against its schema, and that none it reads for Firebase is missing).
  app_env = {
    FIREBASE_PROJECT_ID              = google_firebase_project.default.project
    FIREBASE_CLIENT_EMAIL            = google_service_account.server.email
    FIREBASE_PRIVATE_KEY             = local.server_credentials.private_key
    FIREBASE_STORAGE_BUCKET          = google_storage_bucket.evidence.name
    NEXT_PUBLIC_FIREBASE_API_KEY     = data.google_firebase_web_app_config.default.api_key
    NEXT_PUBLIC_FIREBASE_PROJECT_ID  = google_firebase_project.default.project
    NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN = data.google_firebase_web_app_config.default.auth_domain
  }

  # One KEY="value" line each; newlines (the PEM key's) written as \n, which the app accepts.
  env_file = join("", [
    for name in sort(keys(local.app_env)) :
    format("%s=\"%s\"\n", name, replace(local.app_env[name], "\n", "\\n"))
  ])
}

output "env" {
  description = "The app's Firebase variables, by name."
  value       = local.app_env
  sensitive   = true
}

output "env_file" {
  description = "The same variables as the text of a .env file."
  value       = local.env_file
  sensitive   = true
}

output "project_id" {
  value = google_firebase_project.default.project
}

output "storage_bucket" {
  value = google_storage_bucket.evidence.name
}

output "service_account_email" {
  value = google_service_account.server.email
}
