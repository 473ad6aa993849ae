package io.promptway.runtime.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the upstream's credentials out of what the runtime relays, records and prints: some
 * OpenAI-compatible servers echo the Authorization header in their errors, so the API key is
 * replaced wherever it appears in upstream text; a URL is shown without its user-info.
 */
final class UpstreamSecrets {
  static final String REDACTED = "[redacted]";
  // Shorter "keys" are placeholders (Ollama takes any): replacing them would mangle answers.
  private static final int SHORTEST_SECRET = 8;

  private final String key;

  UpstreamSecrets(String apiKey) {
    this.key = apiKey == null || apiKey.strip().length() < SHORTEST_SECRET ? null : apiKey.strip();
  }

  String redact(String text) {
    return key == null || text == null || !text.contains(key) ? text : text.replace(key, REDACTED);
  }

  byte[] redact(byte[] body) {
    if (key == null) return body;
    String text = new String(body, StandardCharsets.UTF_8);
    return text.contains(key) ? redact(text).getBytes(StandardCharsets.UTF_8) : body;
  }

  /** {@code url} without user-info, for messages. */
  static URI withoutUserInfo(URI url) {
    if (url.getRawUserInfo() == null) return url;
    try {
      return new URI(
          url.getScheme(),
          null,
          url.getHost(),
          url.getPort(),
          url.getPath(),
          url.getQuery(),
          url.getFragment());
    } catch (URISyntaxException e) {
      return URI.create(url.getScheme() + "://" + url.getHost());
    }
  }
}
