package io.promptway.runtime.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes bodies and headers safe to log: secret-bearing fields and headers are replaced by {@code
 * "[REDACTED]"}, secret-looking values (webhook secrets, bearer tokens, provider keys) are masked
 * wherever they appear, and prompts and generated text are cut to a few hundred characters.
 */
public final class Redactor {
  public static final String REDACTED = "[REDACTED]";
  // Names are compared lowercased without '-' and '_' (api-key, apiKey and API_KEY alike), by how
  // they end: x-api-key, webhookSecret, id_token, private_key; max_tokens ends in "tokens", not
  // "token", and is kept.
  private static final List<String> SECRET_NAME_ENDINGS =
      List.of(
          "authorization",
          "apikey",
          "password",
          "passwd",
          "secret",
          "token",
          "cookie",
          "signature",
          "privatekey",
          "accesskey",
          "secretkey",
          "credential",
          "credentials");
  private static final Set<String> TEXT_FIELDS = Set.of("prompt", "content", "text");
  private static final Pattern SECRET_VALUES =
      Pattern.compile(
          "(whsec_[A-Za-z0-9+/=_-]+|(?i:bearer)\\s+[A-Za-z0-9._~+/=-]+|sk-[A-Za-z0-9_-]{8,})");

  private final int promptChars;
  private final int maxBodyChars;

  public Redactor(int promptChars, int maxBodyChars) {
    this.promptChars = Math.max(0, promptChars);
    this.maxBodyChars = Math.max(16, maxBodyChars);
  }

  public static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (String ending : SECRET_NAME_ENDINGS) if (n.endsWith(ending)) return true;
    return false;
  }

  /** A header value as it may be logged. */
  public String header(String name, String value) {
    if (isSecretName(name)) return REDACTED;
    return maskSecrets(truncate(value, maxBodyChars));
  }

  /**
   * A body as it may be logged: JSON becomes a redacted tree, anything else (an event stream, a
   * body that does not parse) a masked string cut as a prompt is, since its fields are unknown.
   */
  public JsonNode body(byte[] bytes, int length, boolean complete) {
    if (length == 0) return JsonNodeFactory.instance.nullNode();
    if (complete) {
      try {
        JsonNode tree = Json.mapper().readTree(bytes, 0, length);
        if (tree != null && tree.isContainerNode()) return redact(tree, null);
      } catch (IOException | RuntimeException notJson) {
        // logged as text below
      }
    }
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    String suffix = complete ? "" : "...(capture limit)";
    return TextNode.valueOf(maskSecrets(truncate(text, promptChars)) + suffix);
  }

  JsonNode redact(JsonNode node, String fieldName) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        out.set(
            e.getKey(),
            isSecretName(e.getKey())
                ? TextNode.valueOf(REDACTED)
                : redact(e.getValue(), e.getKey()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode child : node) out.add(redact(child, fieldName));
      return out;
    }
    if (node.isTextual()) {
      String text = node.textValue();
      int limit = fieldName != null && TEXT_FIELDS.contains(fieldName) ? promptChars : maxBodyChars;
      return TextNode.valueOf(maskSecrets(truncate(text, limit)));
    }
    return node;
  }

  static String truncate(String text, int limit) {
    if (text.length() <= limit) return text;
    int cut = limit;
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
    return text.substring(0, cut) + "...(+" + (text.length() - cut) + " chars)";
  }

  static String maskSecrets(String text) {
    return SECRET_VALUES.matcher(text).replaceAll(REDACTED);
  }
}
