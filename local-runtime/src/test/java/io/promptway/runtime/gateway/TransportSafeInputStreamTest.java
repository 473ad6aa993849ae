package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.promptway.runtime.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TransportSafeInputStreamTest {
  private static InputStream failingWith(RuntimeException e) {
    return new InputStream() {
      @Override
      public int read() {
        throw e;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        throw e;
      }
    };
  }

  @Test
  void aChunkedBodyStoppedPastThePayloadLimitIs413() {
    RequestException tooLarge =
        RequestException.builder()
            .type(DirectHandler.EventType.BAD_REQUEST)
            .status(Status.REQUEST_ENTITY_TOO_LARGE_413)
            .message("payload too large")
            .build();
    var in = new TransportSafeInputStream(failingWith(tooLarge));

    ApiException e = assertThrows(ApiException.class, () -> in.read(new byte[16], 0, 16));
    assertEquals(413, e.status());
    assertEquals("PAYLOAD_TOO_LARGE", e.code());
  }

  @Test
  void anyOtherFramingFailureIsAMalformedBody() {
    var in = new TransportSafeInputStream(failingWith(new IllegalStateException("bad chunk size")));

    ApiException e = assertThrows(ApiException.class, in::read);
    assertEquals(400, e.status());
    assertEquals("MALFORMED_BODY", e.code());
  }

  @Test
  void readsThroughWhenNothingFails() throws IOException {
    var in = new TransportSafeInputStream(InputStream.nullInputStream());
    assertEquals(-1, in.read());
  }
}
