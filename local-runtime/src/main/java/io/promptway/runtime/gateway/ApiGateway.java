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
      long increments = Math.max(1, (bytes + HTTP_API_INCREMENT - 1) / HTTP_API_INCREMENT);
      meter.record(requestId, pattern, BillableUnit.HTTP_API_REQUEST, increments);
    } else {
      meter.record(requestId, pattern, BillableUnit.REST_API_REQUEST, 1);
    }
  }
}
