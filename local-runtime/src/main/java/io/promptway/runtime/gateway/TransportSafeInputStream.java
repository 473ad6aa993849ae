package io.promptway.runtime.gateway;

import io.helidon.http.RequestException;
import io.promptway.runtime.http.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A request body stream whose transport failures (a broken chunk size, a body cut short, a framing
 * error) surface as a 400 in the envelope instead of an unexpected server error: whatever goes
 * wrong while reading the client's bytes is the client's request being malformed.
 */
final class TransportSafeInputStream extends FilterInputStream {

  TransportSafeInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException | IOException e) {
      throw malformed(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException | IOException e) {
      throw malformed(e);
    }
  }

  private static RuntimeException malformed(Exception e) {
    // a chunked body is measured as it arrives: the server stops it past the payload limit
    if (e instanceof RequestException r && r.status().code() == 413) {
      return new ApiException(
          413,
          "PAYLOAD_TOO_LARGE",
          "request body exceeds the payload limit",
          Map.of(),
          Map.of(),
          null);
    }
    return new ApiException(
        400,
        "MALFORMED_BODY",
        "the request body could not be read: check Content-Length and chunked framing",
        Map.of(),
        Map.of(),
        null);
  }
}
