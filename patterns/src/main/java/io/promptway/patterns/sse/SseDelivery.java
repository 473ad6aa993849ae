package io.promptway.patterns.sse;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Platform;
import io.promptway.runtime.store.RequestStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Writes one client connection's view of a stream: the status line and headers at once (committed
 * by the {@code retry:} advice, before the model's first token, so time to first token is measured
 * honestly), then every event of the log after the client's last id, following it live, with
 * comment heartbeats while the model is silent. A client that goes away is recorded in the
 * lifecycle; the generation is not touched.
 */
final class SseDelivery {
  private static final Duration MIN_HEARTBEAT = Duration.ofMillis(10);

  private final Platform platform;
  private final String pattern;
  private final Duration heartbeatReal;
  private final byte[] retryFrame;

  SseDelivery(Platform platform, String pattern) {
    this.platform = platform;
    this.pattern = pattern;
    var sse = platform.config().sse();
    Duration hb = platform.clock().toReal(sse.heartbeatInterval());
    this.heartbeatReal = hb.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : hb;
    this.retryFrame = SseFrames.retry(platform.clock().toReal(sse.retry()));
  }

  /** How a delivery ended: the last event id the client was sent and whether it was still there. */
  record Delivered(long lastId, long bytes, boolean clientGone) {}

  Delivered deliver(ServerResponse res, EventLog log, long afterId) {
    String requestId = log.requestId();
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header("X-Request-Id", requestId);
    res.header("X-Pattern", pattern);
    res.header("X-Accel-Buffering", "no");
    long delivered = afterId;
    long bytes = 0;
    try (OutputStream out = res.outputStream()) {
      out.write(retryFrame);
      out.flush();
      bytes += retryFrame.length;
      while (true) {
        EventLog.Batch batch = log.after(delivered, heartbeatReal);
        if (batch.events().isEmpty()) {
          if (batch.finished()) break;
          byte[] beat = SseFrames.comment("keep-alive");
          out.write(beat);
          out.flush();
          bytes += beat.length;
          continue;
        }
        for (StreamEvent e : batch.events()) {
          byte[] frame = SseFrames.event(e);
          out.write(frame);
          bytes += frame.length;
        }
        out.flush();
        delivered = batch.events().getLast().id();
        if (batch.endsStream()) break;
      }
    } catch (IOException | UncheckedIOException | ServerConnectionException e) {
      clientWentAway(log, delivered);
      return new Delivered(delivered, bytes, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Delivered(delivered, bytes, true);
    }
    return new Delivered(delivered, bytes, false);
  }

  private void clientWentAway(EventLog log, long lastId) {
    String detail =
        "client went away after event "
            + lastId
            + "; the function keeps streaming and billing; "
            + "resume with GET /sse/streams/"
            + log.requestId()
            + " and Last-Event-ID";
    var store = platform.store();
    if (!store.transition(
        log.requestId(), RequestStatus.STREAMING, RequestStatus.CLIENT_DISCONNECTED, detail)) {
      store.note(log.requestId(), detail);
    }
  }
}
