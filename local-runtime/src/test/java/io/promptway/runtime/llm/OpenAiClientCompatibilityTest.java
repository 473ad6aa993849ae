package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real OpenAI client library (LangChain4j's OpenAI module), pointed at the emulator unchanged.
 */
class OpenAiClientCompatibilityTest {
  private static ProviderFixture provider;

  @BeforeAll
  static void start() {
    provider = new ProviderFixture(50);
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  private static String baseUrl() {
    return provider.base().toString().replaceAll("/$", "");
  }

  @Test
  void theOpenAiChatClientGetsAnAnswerWithUsage() {
    OpenAiChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(baseUrl())
            .apiKey("not-needed")
            .modelName("gpt-4o-mini")
            .maxTokens(15)
            .build();
    ChatResponse r = model.chat(dev.langchain4j.data.message.UserMessage.from("Say hello"));
    assertFalse(r.aiMessage().text().isBlank());
    assertEquals(15, r.tokenUsage().outputTokenCount());
    assertTrue(r.tokenUsage().inputTokenCount() > 0);
  }

  @Test
  void theOpenAiStreamingClientReceivesEveryToken() throws Exception {
    OpenAiStreamingChatModel model =
        OpenAiStreamingChatModel.builder()
            .baseUrl(baseUrl())
            .apiKey("not-needed")
            .modelName("gpt-4o")
            .maxTokens(10)
            .build();
    List<String> parts = new ArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(
        "Stream to me",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {
            parts.add(partial);
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    ChatResponse r = done.get(30, TimeUnit.SECONDS);
    assertEquals(10, parts.size());
    assertEquals(String.join("", parts), r.aiMessage().text());
  }
}
