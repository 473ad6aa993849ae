package io.promptway.runtime.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * The headers the runtime's own calls to the model provider carry: the request they are made for
 * and its pattern (token metering). The gateway reads them too, to tell the platform's calls from a
 * caller's.
 */
public final class ModelCallHeaders {
  public static final String REQUEST_ID_NAME = "X-Promptway-Request-Id";
  public static final String PATTERN_NAME = "X-Promptway-Pattern";
  public static final HeaderName REQUEST_ID = HeaderNames.create(REQUEST_ID_NAME);
  public static final HeaderName PATTERN = HeaderNames.create(PATTERN_NAME);

  private ModelCallHeaders() {}
}
