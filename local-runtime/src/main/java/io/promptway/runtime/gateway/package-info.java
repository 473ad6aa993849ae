/**
 * The emulated API gateway in front of every pattern: request validation, wire limits, CORS, API
 * keys with usage plans, throttling by token buckets, daily quotas and budgets, an access log and a
 * redacted data-trace log, and the OpenAPI document. It models REST API billing (per request, with
 * a 29-second integration timeout by default) and HTTP API billing (per 512 KB, at most 30 s),
 * never bills the requests it refuses, and attributes each request's later costs to its caller's
 * API key.
 */
package io.promptway.runtime.gateway;
