package io.promptway.patterns.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of malformed, oversized and adversarial requests against the runtime's
 * endpoints: broken JSON, wrong types, huge numbers, unicode edge cases, oversized bodies and
 * headers, odd methods and paths, and raw HTTP the client library would refuse to send. Every
 * request it makes is one the runtime must refuse with a 4xx, never a 5xx.
 */
final class HostileRequests {
  /** POST endpoints that take a generation request (those not served yet must answer 404). */
  static final List<String> GENERATE =
      List.of(
          "/sync/generate",
          "/sse/generate",
          "/async/requests",
          "/events/requests",
          "/generate",
          "/llm/v1/chat/completions");

  static final List<String> READ =
      List.of("/requests/", "/async/requests/", "/events/requests/", "/sse/streams/");

  /** One hostile request; {@code raw} requests go over a socket as written. */
  record Probe(
      String category,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      byte[] raw,
      int chunkDelayMillis) {
    String describe() {
      String b =
          body == null
              ? ""
              : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
      return category
          + " "
          + method
          + " "
          + (path.length() > 100 ? path.substring(0, 100) + "..." : path)
          + " "
          + b;
    }
  }

  private final SplittableRandom random;
  private final int maxPayload;
  private final int maxHeaderBytes;
  private final int maxPromptChars;

  HostileRequests(long seed, int maxPayload, int maxHeaderBytes, int maxPromptChars) {
    this.random = new SplittableRandom(seed);
    this.maxPayload = maxPayload;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxPromptChars = maxPromptChars;
  }

  List<Probe> generate(int count) {
    List<Probe> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(next());
    return out;
  }

  Probe next() {
    int k = random.nextInt(100);
    if (k < 22) return json("broken_json", brokenJson());
    if (k < 44) return json("wrong_type", wrongType());
    if (k < 54) return json("huge_number", hugeNumber());
    if (k < 66) return json("unicode", unicode());
    if (k < 71) return json("oversized_field", oversizedField());
    if (k < 73) return json("oversized_body", oversizedBody());
    if (k < 76) return oversizedHeader();
    if (k < 82) return oddMethodOrPath();
    if (k < 86) return readWithGarbageId();
    if (k < 93) return json("structure", structure());
    if (k < 99) return raw();
    return slowBody();
  }

  private Probe json(String category, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "Content-Type",
        pick(
            "application/json",
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "application/x-www-form-urlencoded"));
    return new Probe(category, "POST", pick(GENERATE), headers, body, null, 0);
  }

  private byte[] brokenJson() {
    String valid = "{\"prompt\":\"" + words(3) + "\",\"max_tokens\":8,\"temperature\":0.5}";
    return utf8(
        switch (random.nextInt(14)) {
          case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));
          case 1 -> valid + "}";
          case 2 -> valid + " trailing";
          case 3 -> valid.replace('"', '\'');
          case 4 -> "{prompt: \"hi\"}";
          case 5 -> "{\"prompt\":\"hi\",}";
          case 6 -> "{\"prompt\":\"hi\" \"max_tokens\":3}";
          case 7 -> "{\"prompt\":\"hi\", /* comment */ \"max_tokens\":3}";
          case 8 -> "{\"prompt\":NaN}";
          case 9 -> "";
          case 10 -> "   ";
          case 11 -> "{\"prompt\":\"unterminated";
          case 12 -> "{\"prompt\":\"bad escape \\q\"}";
          default -> randomAscii(1 + random.nextInt(200));
        });
  }

  private byte[] wrongType() {
    String field =
        pick(
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
            "stream");
    String value =
        pick(
            "123",
            "-1",
            "1.5",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[1,2,3]",
            "\"\"",
            "\"  \"",
            "{\"a\":1}",
            "\"text\"",
            "[\"x\"]",
            "[{\"role\":1}]",
            "0");
    String base = field.equals("prompt") || field.equals("messages") ? "" : "\"prompt\":\"hi\",";
    if (field.equals("prompt") && value.equals("\"text\"")) value = "12";
    if (field.equals("stream") && (value.equals("true") || value.equals("false")))
      value = "\"yes\"";
    if (field.equals("temperature") && (value.equals("1.5") || value.equals("0")))
      value = "\"hot\"";
    if (field.equals("priority") && value.equals("0")) value = "11";
    if (field.equals("max_tokens") && value.equals("null")) value = "0";
    if (field.equals("model") && value.equals("null")) value = "\"no-such-model\"";
    if (field.equals("max_tokens") && value.equals("123")) value = "5000";
    if (!base.isEmpty() && value.equals("null")
        || (value.equals("\"text\"")
            && List.of("model", "user_tier", "mode", "callback_url", "conversation_id")
                .contains(field))) {
      value =
          field.equals("conversation_id")
              ? "\"bad id with spaces\""
              : "\"not-a-valid-" + field + "\"";
    }
    if (field.equals("callback_url") && value.startsWith("\"not-a"))
      value =
          pick(
              "\"javascript:alert(1)\"",
              "\"file:///etc/passwd\"",
              "\"ftp://x\"",
              "\"http://\"",
              "\"::::\"");
    if (field.equals("conversation_id") && value.equals("\"\""))
      value = "\"" + "x".repeat(200) + "\"";
    if (field.equals("mode") && value.equals("\"\"")) value = "\"turbo\"";
    if (field.equals("user_tier") && value.equals("\"\"")) value = "\"platinum\"";
    if (field.equals("model") && value.equals("\"\"")) value = "\"gpt-9\"";
    if (field.equals("callback_url") && value.equals("\"\"")) value = "\"not a url\"";
    return utf8("{" + base + "\"" + field + "\":" + value + "}");
  }

  private byte[] hugeNumber() {
    String field = pick("max_tokens", "temperature", "priority");
    String value =
        pick(
            "1e309",
            "-1e309",
            "99999999999999999999999",
            "-99999999999999999999999",
            "2147483648",
            "-2147483649",
            "1" + "0".repeat(70),
            "0." + "0".repeat(70) + "1",
            "1e-400",
            "4097",
            "-0.0000001",
            "9.999e999",
            "2.5");
    if (field.equals("temperature")
        && (value.equals("2.5") || value.startsWith("0.") || value.equals("1e-400")))
      value = "2.0000001";
    if (field.equals("priority") && value.equals("1e-400")) value = "1e400";
    if (field.equals("priority") && value.equals("2.5")) value = "10.5";
    return utf8("{\"prompt\":\"hi\",\"" + field + "\":" + value + "}");
  }

  private byte[] unicode() {
    return switch (random.nextInt(7)) {
      case 0 -> utf8("{\"prompt\":\"lone \\ud800 surrogate\"}");
      case 1 -> utf8("{\"prompt\":\"low first \\udc00\\ud800\"}");
      case 2 -> utf8("{\"prompt\":\"nul \\u0000 inside\"}");
      case 3 ->
          concat(
              utf8("{\"prompt\":\"overlong "), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}"));
      case 4 ->
          concat(
              utf8("{\"prompt\":\"bad continuation "),
              new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},
              utf8("\"}"));
      case 5 -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, utf8("{\"prompt\":\"utf-16 bom\"}"));
      default ->
          utf8(
              "{\"messages\":[{\"role\":\"user\",\"content\":\"\\u202e\\u200b\"},{\"role\":\"\\u0075ser\\u0000\",\"content\":\"x\"}]}");
    };
  }

  private byte[] oversizedField() {
    return switch (random.nextInt(4)) {
      case 0 ->
          utf8("{\"prompt\":\"" + "a".repeat(maxPromptChars + 1 + random.nextInt(100)) + "\"}");
      case 1 -> {
        StringBuilder sb = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 257; i++)
          sb.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x\"}");
        yield utf8(sb.append("]}").toString());
      }
      case 2 -> utf8("{\"prompt\":\"hi\",\"model\":\"" + "m".repeat(500) + "\"}");
      default ->
          utf8(
              "{\"prompt\":\"hi\",\"callback_url\":\"http://example.com/"
                  + "p".repeat(3000)
                  + "\"}");
    };
  }

  private byte[] oversizedBody() {
    int size = maxPayload + 1 + random.nextInt(maxPayload / 2);
    return utf8("{\"prompt\":\"" + "b".repeat(size) + "\"}");
  }

  private Probe oversizedHeader() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    int n = 1 + random.nextInt(4);
    int each = random.nextInt(10) == 0 ? 70_000 : maxHeaderBytes / n + 10;
    for (int i = 0; i < n; i++) headers.put("X-Filler-" + i, "v".repeat(each));
    String category = each > 65_536 ? "oversized_header_hard" : "oversized_header";
    return new Probe(
        category, "POST", pick(GENERATE), headers, utf8("{\"prompt\":\"hi\"}"), null, 0);
  }

  private Probe oddMethodOrPath() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    // Invalid even if a path normalises onto a real route.
    byte[] body = utf8("{\"prompt\":1}");
    return switch (random.nextInt(6)) {
      case 0 ->
          new Probe(
              "method", pick("PUT", "DELETE", "PATCH"), pick(GENERATE), headers, body, null, 0);
      case 1 ->
          new Probe(
              "method",
              "GET",
              pick("/sync/generate", "/async/requests", "/events/requests", "/generate"),
              Map.of(),
              null,
              null,
              0);
      case 2 ->
          new Probe(
              "path",
              "POST",
              pick(
                  "/sync/generate/extra",
                  "/sync//generate",
                  "/SYNC/GENERATE",
                  "/sync/generate%00",
                  "/sync/%2e%2e/health",
                  "/nope",
                  "/llm/v1/nope"),
              headers,
              body,
              null,
              0);
      case 3 ->
          new Probe(
              "path",
              "GET",
              "/" + "a".repeat(2000 + random.nextInt(2000)),
              Map.of(),
              null,
              null,
              0);
      case 4 ->
          new Probe(
              "query",
              "POST",
              "/sync/generate?" + "x=%ZZ&y=" + "q".repeat(100),
              headers,
              utf8("{\"prompt\":1}"),
              null,
              0);
      default -> new Probe("method", "POST", "/requests/abc", headers, body, null, 0);
    };
  }

  private Probe readWithGarbageId() {
    String id =
        pick(
            "does-not-exist",
            "%00",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "' OR '1'='1",
            "req_" + "z".repeat(300),
            "%F0%9F%98%80",
            "%ED%A0%80",
            "..%2F..",
            "<script>");
    return new Probe("read", "GET", pick(READ) + id, Map.of(), null, null, 0);
  }

  private byte[] structure() {
    return switch (random.nextInt(8)) {
      case 0 -> utf8("[".repeat(100) + "]".repeat(100));
      case 1 ->
          utf8(
              "{\"prompt\":\"hi\",\"metadata\":"
                  + "{\"a\":".repeat(80)
                  + "1"
                  + "}".repeat(80)
                  + "}");
      case 2 -> utf8("[{\"prompt\":\"hi\"}]");
      case 3 -> utf8("\"just a string\"");
      case 4 -> utf8("{\"prompt\":\"hi\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      case 5 -> utf8("{\"prompt\":\"hi\",\"unknown_field_" + random.nextInt(1000) + "\":1}");
      case 6 -> utf8("{\"messages\":[]}");
      default -> utf8("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
    };
  }

  private Probe raw() {
    String path = pick(GENERATE);
    String raw =
        switch (random.nextInt(6)) {
          case 0 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n";
          case 1 -> "POST /sync/gen erate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
          case 2 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nBad Header Line\r\n\r\n";
          case 3 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n";
          case 4 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Ctl: a\u0001b\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{]";
          default ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"prompt\":1}";
        };
    return new Probe(
        "raw_http", "RAW", path, Map.of(), null, raw.getBytes(StandardCharsets.ISO_8859_1), 0);
  }

  private Probe slowBody() {
    String path = pick(GENERATE);
    String body = "{\"prompt\": 12, \"max_tokens\": \"many\"}";
    String raw =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    return new Probe(
        "slow_body", "RAW", path, Map.of(), null, raw.getBytes(StandardCharsets.ISO_8859_1), 3);
  }

  private String words(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++)
      sb.append(i == 0 ? "" : " ").append(pick("alpha", "beta", "gamma", "delta"));
    return sb.toString();
  }

  private String randomAscii(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append((char) (32 + random.nextInt(95)));
    String s = sb.toString();
    // A random string that happens to parse as a JSON object would be a valid-shaped request.
    return s.startsWith("{") ? "x" + s : s;
  }

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
