package io.promptway.runtime.gateway;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Errors;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The gateway's request validation, run before anything is billed: the body must be a JSON object
 * with a prompt or messages within limits, a known model, {@code max_tokens} and {@code
 * temperature} within bounds. Defaults fill what is missing. Every failure names the field and the
 * rule.
 */
public final class RequestValidator {
  // Lists, not sets: their order is the order an error message names them in.
  private static final List<String> ROLES = List.of("system", "user", "assistant", "developer");
  private static final List<String> TIERS = RuntimeConfig.USER_TIERS;
  private static final List<String> MODES = List.of("auto", "sync", "async", "stream", "events");
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "prompt",
          "messages",
          "model",
          "max_tokens",
          "temperature",
          "callback_url",
          "priority",
          "user_tier",
          "conversation_id",
          "mode",
          "stream",
          "metadata");

  private final RuntimeConfig.Gateway limits;
  private final Set<String> models;
  private final String defaultModel;
  private final ObjectMapper mapper;

  public RequestValidator(RuntimeConfig.Gateway limits, Set<String> models, String defaultModel) {
    this.limits = limits;
    this.models = Set.copyOf(models);
    this.defaultModel = defaultModel;
    // Trailing content after the object ("{...}}" or "{...} junk") is malformed, not ignored; a
    // field sent twice is refused rather than the last one silently winning.
    this.mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build());
  }

  public GenerationRequest parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw Errors.badRequest(
          "EMPTY_BODY", "request body is empty; send a JSON object with a prompt");
    }
    if (body.length > limits.maxPayloadBytes())
      throw Errors.payloadTooLarge(limits.maxPayloadBytes());
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      String duplicate = duplicateField(e);
      if (duplicate != null)
        throw Errors.validation(duplicate, "appears more than once; send each field once");
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw Errors.malformedJson(e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw Errors.malformedJson(e.getMessage());
    }
    return validate(root);
  }

  /** The path of the field a duplicate-key failure is about ({@code messages[0].role}), or null. */
  private static String duplicateField(JsonProcessingException e) {
    if (!(e instanceof JsonParseException p)
        || !(p.getProcessor() instanceof JsonParser parser)
        || !String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) return null;
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = parser.getParsingContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
    }
    return path.isEmpty() ? null : path.substring(path.charAt(0) == '.' ? 1 : 0);
  }

  public GenerationRequest validate(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw Errors.badRequest("INVALID_BODY", "request body must be a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!KNOWN_FIELDS.contains(name)) {
        throw Errors.validation(
            name, "unknown field; known fields are " + new TreeSet<>(KNOWN_FIELDS));
      }
    }
    List<ChatMessage> messages = messages(root);
    String model = optionalText(root, "model", 128);
    if (model == null) model = defaultModel;
    if (!models.contains(model)) {
      throw Errors.validation(
          "model", "unknown model '" + model + "'; available: " + new TreeSet<>(models));
    }
    int maxTokens = optionalInt(root, "max_tokens", limits.maxTokensDefault());
    if (maxTokens < 1 || maxTokens > limits.maxTokensCap()) {
      throw Errors.validation(
          "max_tokens", "must be between 1 and " + limits.maxTokensCap() + ", got " + maxTokens);
    }
    double temperature = optionalNumber(root, "temperature", limits.temperatureDefault());
    if (!(temperature >= 0 && temperature <= 2)) {
      throw Errors.validation("temperature", "must be between 0 and 2, got " + temperature);
    }
    String callbackUrl = optionalText(root, "callback_url", 2048);
    if (callbackUrl != null) checkUrl(callbackUrl);
    int priority = optionalInt(root, "priority", 5);
    if (priority < 0 || priority > 10) {
      throw Errors.validation("priority", "must be between 0 and 10, got " + priority);
    }
    String tier = optionalText(root, "user_tier", 32);
    if (tier == null) tier = "standard";
    if (!TIERS.contains(tier))
      throw Errors.validation("user_tier", "must be one of " + TIERS + ", got '" + tier + "'");
    String conversationId = optionalText(root, "conversation_id", 128);
    if (conversationId != null && !ID.matcher(conversationId).matches()) {
      throw Errors.validation("conversation_id", "use 1-128 letters, digits, '.', '_', ':' or '-'");
    }
    String mode = optionalText(root, "mode", 16);
    if (mode != null && !MODES.contains(mode))
      throw Errors.validation("mode", "must be one of " + MODES + ", got '" + mode + "'");
    JsonNode metadata = root.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject())
      throw Errors.validation("metadata", "must be an object");
    boolean stream = false;
    JsonNode s = root.get("stream");
    if (s != null && !s.isNull()) {
      if (!s.isBoolean()) throw Errors.validation("stream", "must be true or false");
      stream = s.booleanValue();
    }
    return new GenerationRequest(
        messages,
        model,
        maxTokens,
        temperature,
        callbackUrl,
        priority,
        tier,
        conversationId,
        mode,
        stream);
  }

  private List<ChatMessage> messages(JsonNode root) {
    JsonNode prompt = root.get("prompt");
    JsonNode messages = root.get("messages");
    boolean hasPrompt = prompt != null && !prompt.isNull();
    boolean hasMessages = messages != null && !messages.isNull();
    if (hasPrompt && hasMessages)
      throw Errors.validation("prompt", "send either prompt or messages, not both");
    if (!hasPrompt && !hasMessages)
      throw Errors.validation("prompt", "is required (or send messages)");
    if (hasPrompt) {
      if (!prompt.isTextual()) throw Errors.validation("prompt", "must be a string");
      String text = prompt.textValue();
      if (text.isBlank()) throw Errors.validation("prompt", "must not be blank");
      checkText("prompt", text);
      int chars = characters(text);
      if (chars > limits.maxPromptChars()) {
        throw Errors.validation(
            "prompt", "is " + chars + " characters; the limit is " + limits.maxPromptChars());
      }
      return List.of(ChatMessage.user(text));
    }
    if (!messages.isArray())
      throw Errors.validation("messages", "must be an array of {role, content}");
    if (messages.isEmpty()) throw Errors.validation("messages", "must not be empty");
    if (messages.size() > limits.maxMessages()) {
      throw Errors.validation(
          "messages", "has " + messages.size() + " entries; the limit is " + limits.maxMessages());
    }
    List<ChatMessage> out = new ArrayList<>(messages.size());
    int total = 0;
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages[" + i + "]";
      JsonNode m = messages.get(i);
      if (!m.isObject()) throw Errors.validation(at, "must be an object {role, content}");
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (role == null || !role.isTextual() || !ROLES.contains(role.textValue())) {
        throw Errors.validation(at + ".role", "must be one of " + ROLES);
      }
      if (content == null || !content.isTextual())
        throw Errors.validation(at + ".content", "must be a string");
      checkText(at + ".content", content.textValue());
      total += characters(content.textValue());
      out.add(new ChatMessage(role.textValue(), content.textValue()));
    }
    if (total > limits.maxPromptChars()) {
      throw Errors.validation(
          "messages", "total " + total + " characters; the limit is " + limits.maxPromptChars());
    }
    if (out.stream().allMatch(m -> m.content().isBlank())) {
      throw Errors.validation("messages", "at least one message must have content");
    }
    return out;
  }

  /** Characters as a person counts them: code points, so an emoji is one, not two UTF-16 units. */
  private static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  /** Lone surrogates and NUL cannot be stored or forwarded faithfully, so they are refused. */
  private static void checkText(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0)
        throw Errors.validation(field, "must not contain NUL characters (position " + i + ")");
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw Errors.validation(field, "contains an unpaired surrogate at position " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw Errors.validation(field, "contains an unpaired surrogate at position " + i);
      }
    }
  }

  private static void checkUrl(String url) {
    try {
      var uri = new URI(url);
      // schemes are case-insensitive (RFC 3986 3.1): HTTP://host is an http URL
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw Errors.validation(
            "callback_url", "must be an absolute http(s) URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw Errors.validation("callback_url", "is not a valid URL: " + e.getReason());
    }
  }

  private static String optionalText(JsonNode root, String field, int maxLength) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual()) throw Errors.validation(field, "must be a string");
    if (n.textValue().length() > maxLength)
      throw Errors.validation(field, "must be at most " + maxLength + " characters");
    checkText(field, n.textValue());
    return n.textValue();
  }

  private static int optionalInt(JsonNode root, String field, int fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) return fallback;
    if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
      throw Errors.validation(field, "must be an integer");
    }
    if (!n.canConvertToInt()) throw Errors.validation(field, "is out of range: " + n.asText());
    return n.intValue();
  }

  private static double optionalNumber(JsonNode root, String field, double fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) return fallback;
    if (!n.isNumber()) throw Errors.validation(field, "must be a number");
    return n.doubleValue();
  }
}
