/**
 * Outbound callbacks: Standard Webhooks signing, a callback-URL allow-list against SSRF, and a
 * durable dispatcher with a retry schedule, a delivery log per request and a dead-letter list.
 */
package io.promptway.runtime.webhook;
