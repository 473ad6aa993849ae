package io.promptway.runtime.webhook;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of the HMAC key. Read
 * only from the environment ({@value #ENV}); when unset a random one is generated and announced
 * once, so a receiver can be configured with it.
 */
public final class WebhookSecret {
  public static final String ENV = "PROMPTWAY_WEBHOOK_SECRET";
  private static final String PREFIX = "whsec_";

  private final String text;
  private final byte[] key;

  private WebhookSecret(String text, byte[] key) {
    this.text = text;
    this.key = key;
  }

  public static WebhookSecret parse(String text) {
    String encoded = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          ENV + " must be whsec_ followed by base64: " + e.getMessage());
    }
    if (key.length < 24) throw new IllegalArgumentException(ENV + " key must be at least 24 bytes");
    return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key), key);
  }

  public static WebhookSecret generate() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key), key);
  }

  /** The secret from {@code env}, or a fresh one announced through {@code announce}. */
  public static WebhookSecret resolve(Map<String, String> env, Consumer<String> announce) {
    String configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) return parse(configured);
    WebhookSecret s = generate();
    announce.accept(
        "webhook signing secret (set " + ENV + " to keep it across restarts): " + s.text());
    return s;
  }

  /** The {@code whsec_...} form a receiver is configured with. */
  public String text() {
    return text;
  }

  byte[] key() {
    return key.clone();
  }

  @Override
  public String toString() {
    return "whsec_***";
  }
}
