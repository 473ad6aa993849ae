/**
 * What the patterns share: request ids that sort by creation time, the parameters kept in a
 * request's state row, and the response envelope with its {@code X-Request-Id}, {@code X-Pattern},
 * {@code X-Processing-Time-Ms} and {@code X-Cost-Usd} headers. Also how a failed function
 * invocation or model call is reported to the client, the status document of a request served in
 * the background, and the webhook that tells a client its request finished.
 */
package io.promptway.patterns.common;
