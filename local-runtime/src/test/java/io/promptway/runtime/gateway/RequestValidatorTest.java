package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidatorTest {
  private final RequestValidator validator =
      new RequestValidator(
          new ConfigLoader().defaults().gateway(), Set.of("gpt-4o-mini", "gpt-4o"), "gpt-4o-mini");

  private GenerationRequest parse(String json) {
    return validator.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void appliesDefaultsToAMinimalRequest() {
    GenerationRequest g = parse("{\"prompt\":\"hi\"}");
    assertEquals("gpt-4o-mini", g.model());
    assertEquals(1024, g.maxTokens());
    assertEquals(0.7, g.temperature());
    assertEquals("standard", g.userTier());
    assertEquals(1, g.messages().size());
    assertEquals("user", g.messages().get(0).role());
  }

  @Test
  void acceptsMessages() {
    GenerationRequest g =
        parse(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"gpt-4o\",\"max_tokens\":50,\"temperature\":0}");
    assertEquals(2, g.messages().size());
    assertEquals(50, g.maxTokens());
    assertEquals(0.0, g.temperature());
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                              | 400 | EMPTY_BODY        | ",
        "{                                               | 400 | MALFORMED_JSON    | ",
        "[1,2]                                           | 400 | INVALID_BODY      | ",
        "{}                                              | 400 | VALIDATION_ERROR  | prompt",
        "{\"prompt\":5}                                  | 400 | VALIDATION_ERROR  | prompt",
        "{\"prompt\":\"   \"}                            | 400 | VALIDATION_ERROR  | prompt",
        "{\"prompt\":\"a\",\"messages\":[]}              | 400 | VALIDATION_ERROR  | prompt",
        "{\"messages\":[]}                               | 400 | VALIDATION_ERROR  | messages",
        "{\"messages\":\"hi\"}                           | 400 | VALIDATION_ERROR  | messages",
        "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]} | 400 | VALIDATION_ERROR | messages[0].role",
        "{\"messages\":[{\"role\":\"user\",\"content\":7}]}      | 400 | VALIDATION_ERROR | messages[0].content",
        "{\"prompt\":\"a\",\"model\":\"gpt-9\"}          | 400 | VALIDATION_ERROR  | model",
        "{\"prompt\":\"a\",\"max_tokens\":0}             | 400 | VALIDATION_ERROR  | max_tokens",
        "{\"prompt\":\"a\",\"max_tokens\":100000}        | 400 | VALIDATION_ERROR  | max_tokens",
        "{\"prompt\":\"a\",\"max_tokens\":1.5}           | 400 | VALIDATION_ERROR  | max_tokens",
        "{\"prompt\":\"a\",\"max_tokens\":\"10\"}        | 400 | VALIDATION_ERROR  | max_tokens",
        "{\"prompt\":\"a\",\"max_tokens\":1e30}          | 400 | VALIDATION_ERROR  | max_tokens",
        "{\"prompt\":\"a\",\"temperature\":2.5}          | 400 | VALIDATION_ERROR  | temperature",
        "{\"prompt\":\"a\",\"temperature\":-0.1}         | 400 | VALIDATION_ERROR  | temperature",
        "{\"prompt\":\"a\",\"temperature\":\"hot\"}      | 400 | VALIDATION_ERROR  | temperature",
        "{\"prompt\":\"a\",\"priority\":11}              | 400 | VALIDATION_ERROR  | priority",
        "{\"prompt\":\"a\",\"user_tier\":\"gold\"}       | 400 | VALIDATION_ERROR  | user_tier",
        "{\"prompt\":\"a\",\"callback_url\":\"ftp://x\"} | 400 | VALIDATION_ERROR  | callback_url",
        "{\"prompt\":\"a\",\"conversation_id\":\"a b\"}  | 400 | VALIDATION_ERROR  | conversation_id",
        "{\"prompt\":\"a\",\"stream\":\"yes\"}           | 400 | VALIDATION_ERROR  | stream",
        "{\"prompt\":\"a\",\"mode\":\"turbo\"}           | 400 | VALIDATION_ERROR  | mode",
        "{\"prompt\":\"a\",\"promt\":\"b\"}              | 400 | VALIDATION_ERROR  | promt",
        "{\"prompt\":\"a\",\"action\":\"generate\"}  | 400 | VALIDATION_ERROR  | action",
        "{\"prompt\":\"a\",\"request_id\":\"req_1\"} | 400 | VALIDATION_ERROR  | request_id",
        "{\"prompt\":\"\\ud800\"}                        | 400 | VALIDATION_ERROR  | prompt",
        "{\"prompt\":\"a\\u0000b\"}                      | 400 | VALIDATION_ERROR  | prompt",
        "{\"prompt\":\"a\",\"prompt\":\"b\"}             | 400 | VALIDATION_ERROR  | prompt",
        "{\"messages\":[{\"role\":\"user\",\"role\":\"system\",\"content\":\"x\"}]} | 400 | VALIDATION_ERROR | messages[0].role",
        "{\"prompt\":\"a\",\"metadata\":{\"k\":1,\"k\":2}} | 400 | VALIDATION_ERROR  | metadata.k",
        "{\"prompt\":\"a\",\"metadata\":\"tag\"}       | 400 | VALIDATION_ERROR  | metadata",
        "{\"prompt\":\"a\",\"metadata\":[1]}           | 400 | VALIDATION_ERROR  | metadata",
        "{\"prompt\":\"a\",\"metadata\":3}             | 400 | VALIDATION_ERROR  | metadata",
      })
  void refusesBadInputNamingTheFieldAndRule(String body, int status, String code, String field) {
    ApiException e = assertThrows(ApiException.class, () -> parse(body));
    assertEquals(status, e.status());
    assertEquals(code, e.code());
    if (field != null) {
      assertEquals(field, e.details().get("field"));
      assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }
  }

  @Test
  void refusesAPromptOverTheLengthLimit() {
    String big = "x".repeat(100_001);
    ApiException e = assertThrows(ApiException.class, () -> parse("{\"prompt\":\"" + big + "\"}"));
    assertTrue(e.getMessage().contains("100000"), e.getMessage());
  }

  @Test
  void aDuplicateFieldIsRefusedNamingIt() {
    ApiException e =
        assertThrows(ApiException.class, () -> parse("{\"prompt\":\"a\",\"prompt\":\"b\"}"));
    assertEquals("prompt: appears more than once; send each field once", e.getMessage());
  }

  @Test
  void metadataMayBeAnObjectOrNull() {
    parse("{\"prompt\":\"a\",\"metadata\":{\"team\":\"search\"}}");
    parse("{\"prompt\":\"a\",\"metadata\":null}");
  }

  @Test
  void promptLengthCountsCodePointsNotUtf16Units() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    assertEquals(1, parse("{\"prompt\":\"" + emoji.repeat(60_000) + "\"}").messages().size());
    ApiException e =
        assertThrows(
            ApiException.class, () -> parse("{\"prompt\":\"" + emoji.repeat(100_001) + "\"}"));
    assertEquals("prompt: is 100001 characters; the limit is 100000", e.getMessage());
    String half = emoji.repeat(30_000);
    parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\""
            + half
            + "\"},{\"role\":\"user\",\"content\":\""
            + half
            + "\"}]}");
  }

  @Test
  void aCallbackUrlSchemeIsCaseInsensitive() {
    assertEquals(
        "HTTP://LOCALHOST:1/x",
        parse("{\"prompt\":\"a\",\"callback_url\":\"HTTP://LOCALHOST:1/x\"}").callbackUrl());
    assertEquals(
        "HttpS://h/x", parse("{\"prompt\":\"a\",\"callback_url\":\"HttpS://h/x\"}").callbackUrl());
  }

  @Test
  void refusesDeeplyNestedJsonWithoutFailingHard() {
    String deep = "{\"prompt\":\"a\",\"metadata\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    ApiException e = assertThrows(ApiException.class, () -> parse(deep));
    assertEquals(400, e.status());
  }
}
