/**
 * The runtime's wire format and HTTP plumbing: the one JSON envelope every response shares ({@code
 * success, data, metadata, error}), the snake_case JSON mapper, and errors as {@link
 * io.promptway.runtime.http.ApiException}s with a status and a stable code, turned into the
 * envelope in one place. It also holds keep-alive connections for the runtime's own outbound calls,
 * body reading without oversized buffers, and clients built lazily on first use.
 */
package io.promptway.runtime.http;
