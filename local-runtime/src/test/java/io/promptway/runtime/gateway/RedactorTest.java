package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = new Redactor(10, 200);

  private String body(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return redactor.body(b, b.length, true).toString();
  }

  @Test
  void cutsPromptsAndMessageContent() {
    String out =
        body(
            "{\"prompt\":\"abcdefghijklmnopqrstuvwxyz\",\"messages\":[{\"role\":\"user\",\"content\":\"0123456789ABCDEF\"}]}");
    assertTrue(out.contains("abcdefghij...(+16 chars)"), out);
    assertTrue(out.contains("0123456789...(+6 chars)"), out);
    assertFalse(out.contains("klmnop"));
  }

  @Test
  void redactsSecretFieldsAndSecretLookingValues() {
    String out =
        body(
            "{\"api_key\":\"k1\",\"nested\":{\"Authorization\":\"Bearer abc\"},\"note\":\"use whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw and sk-abcdefghijkl\",\"webhook_secret\":\"x\"}");
    assertFalse(out.contains("k1"), out);
    assertFalse(out.contains("abc\""), out);
    assertFalse(out.contains("whsec_MfKQ"), out);
    assertFalse(out.contains("sk-abcdefghijkl"), out);
    assertTrue(out.contains(Redactor.REDACTED));
  }

  @Test
  void redactsSecretHeaders() {
    assertEquals(Redactor.REDACTED, redactor.header("X-Api-Key", "secret"));
    assertEquals(Redactor.REDACTED, redactor.header("authorization", "Bearer x"));
    assertEquals("application/json", redactor.header("Content-Type", "application/json"));
  }

  @Test
  void logsNonJsonAsMaskedTruncatedText() {
    byte[] b = ("not json Bearer abcdef " + "x".repeat(500)).getBytes(StandardCharsets.UTF_8);
    String out = redactor.body(b, b.length, true).asText();
    assertFalse(out.contains("abcdef"));
    assertTrue(out.startsWith("not json B...(+"), out);
  }

  @Test
  void aBodyThatDoesNotParseIsCutAsAPromptIsSoNoFieldOfItSurvivesWhole() {
    byte[] b =
        "{\"prompt\":\"MALFORMED-PROMPT\",\"metadata\":{\"api_key\":\"leak\"}"
            .getBytes(StandardCharsets.UTF_8);
    String out = redactor.body(b, b.length, true).asText();
    assertFalse(out.contains("leak"), out);
    assertFalse(out.contains("MALFORMED-PROMPT"), out);
  }

  @Test
  void secretNamesAreFoundWhateverTheirSpellingButTokenCountsAreKept() {
    for (String name :
        new String[] {
          "api-key",
          "apiKey",
          "X-Webhook-Secret",
          "webhookSecret",
          "private_key",
          "id_token",
          "X-Amz-Security-Token",
          "client_secret"
        }) assertTrue(Redactor.isSecretName(name), name);
    for (String name : new String[] {"max_tokens", "prompt_tokens", "model", "callback_url"})
      assertFalse(Redactor.isSecretName(name), name);
  }

  @Test
  void neverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00".repeat(10);
    String out = Redactor.truncate(emoji, 5);
    assertFalse(Character.isHighSurrogate(out.charAt(out.indexOf("...") - 1)));
  }
}
