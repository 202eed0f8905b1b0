/**
 * The composition root: what each domain contributes to the shared machinery, one line per domain,
 * as server/root.ts does for routers. Domains below never import this file; entry points do (the
 * web server's start-up, the worker, the tRPC root, route handlers, scripts, the test set-up).
 */

// ---- Job handlers (graphile-worker tasks and schedules) ----

// ---- Payment purposes and live-topic access rules ----
