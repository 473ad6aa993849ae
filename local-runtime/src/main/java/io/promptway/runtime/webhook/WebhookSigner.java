package io.promptway.runtime.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies payloads as the Standard Webhooks specification says: the signature is {@code
 * v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), timestamps in Unix seconds.
 */
public final class WebhookSigner {
  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  private final WebhookSecret secret;
  private final SecretKeySpec key;
  // keyed once; each signature works on a clone (cheaper than looking up and keying a new Mac)
  private final Mac keyed;

  public WebhookSigner(WebhookSecret secret) {
    this.secret = secret;
    this.key = new SecretKeySpec(secret.key(), "HmacSHA256");
    this.keyed = newMac();
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private Mac mac() {
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      return newMac();
    }
  }

  /** The secret receivers verify with. */
  public WebhookSecret secret() {
    return secret;
  }

  public String sign(String id, long timestampSeconds, String body) {
    byte[] digest =
        mac().doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(digest);
  }

  /**
   * True when one of the space-separated signatures in {@code header} matches and the timestamp is
   * within {@code toleranceSeconds} of {@code nowSeconds} (replay protection).
   */
  public boolean verify(
      String id,
      String timestamp,
      String header,
      String body,
      long nowSeconds,
      long toleranceSeconds) {
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
    byte[] expected = sign(id, ts, body).getBytes(StandardCharsets.US_ASCII);
    for (String candidate : header.split(" ")) {
      if (MessageDigest.isEqual(expected, candidate.trim().getBytes(StandardCharsets.US_ASCII)))
        return true;
    }
    return false;
  }
}
