/**
 * Introspection of one request, whichever pattern served it: {@code GET /requests/{id}} returns its
 * state row (status, parameters, usage, attempts, error), its audit trail of status transitions,
 * its cost breakdown and every meter record billed to it. An unknown id gets 404.
 */
package io.promptway.patterns.requests;
