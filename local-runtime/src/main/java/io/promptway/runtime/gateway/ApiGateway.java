package io.promptway.runtime.gateway;

import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.time.Duration;

/**
 * The API gateway's billing and integration limits. A REST API bills per request and waits 29 s by
 * default (configurable); an HTTP API bills per 512 KB of request plus response and waits at most
 * 30 s. Requests the gateway refuses (throttled, unauthorised) are not billed, as on the platform.
 */
public final class ApiGateway {
  private static final long HTTP_API_INCREMENT = 512L * 1024;
  private static final Duration HTTP_API_MAX_TIMEOUT = Duration.ofSeconds(30);

  private final RuntimeConfig.Gateway config;
  private final Meter meter;

  public ApiGateway(RuntimeConfig.Gateway config, Meter meter) {
    this.config = config;
    this.meter = meter;
  }

  public RuntimeConfig.ApiType apiType() {
    return config.apiType();
  }

  /** How long the gateway waits for the integration before answering 504 (simulated time). */
  public Duration integrationTimeout() {
    Duration t = config.integrationTimeout();
    if (config.apiType() == RuntimeConfig.ApiType.HTTP && t.compareTo(HTTP_API_MAX_TIMEOUT) > 0) {
      return HTTP_API_MAX_TIMEOUT;
    }
    return t;
  }

  /** Bills one API call that carried {@code bytes} of request and response payload. */
  public void billRequest(String requestId, String pattern, long bytes) {
    if (config.apiType() == RuntimeConfig.ApiType.HTTP) {
      meter.record(requestId, pattern, BillableUnit.HTTP_API_REQUEST, increments(bytes));
    } else {
      meter.record(requestId, pattern, BillableUnit.REST_API_REQUEST, 1);
    }
  }

  /**
   * Bills an API call as it arrives, before its size is known: a REST API's request, or an HTTP
   * API's first 512 KB. For a stream, whose last event reports the cost before the exchange ends;
   * {@link #billStreamEnded} adds what its size takes beyond that.
   */
  public void billStreamStarted(String requestId, String pattern) {
    meter.record(
        requestId,
        pattern,
        config.apiType() == RuntimeConfig.ApiType.HTTP
            ? BillableUnit.HTTP_API_REQUEST
            : BillableUnit.REST_API_REQUEST,
        1);
  }

  /** An HTTP API's increments past the first, once a stream of {@code bytes} in all has ended. */
  public void billStreamEnded(String requestId, String pattern, long bytes) {
    long more = increments(bytes) - 1;
    if (config.apiType() == RuntimeConfig.ApiType.HTTP && more > 0) {
      meter.record(requestId, pattern, BillableUnit.HTTP_API_REQUEST, more);
    }
  }

  private static long increments(long bytes) {
    return Math.max(1, (bytes + HTTP_API_INCREMENT - 1) / HTTP_API_INCREMENT);
  }
}
