package io.promptway.runtime.http;

import io.helidon.http.Headers;
import io.helidon.http.media.ReadableEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Reads a whole message body into an array of its own size. Helidon's {@code as(byte[].class)}
 * reads with {@link InputStream#readAllBytes()}, which allocates a 16 KB buffer per body (and
 * Helidon's client a second one to fill it) however small the body; on the sync path's three bodies
 * that was most of the garbage each request made.
 */
public final class Bodies {
  private Bodies() {}

  /** The body of a request or response with these headers. */
  public static byte[] read(ReadableEntity entity, Headers headers) {
    OptionalLong length = headers.contentLength();
    try (InputStream in = entity.inputStream()) {
      if (length.isPresent() && length.getAsLong() < Integer.MAX_VALUE) {
        return in.readNBytes((int) length.getAsLong());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
