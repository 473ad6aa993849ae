package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the runtime recorded about a turn's requests: status and tokens ({@code GET /requests/{id}})
 * and the metered cost ({@code POST /metering/costs}). Reading either is free.
 */
final class RequestLedger {
  private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "expired");

  private final RuntimeHttp http;

  RequestLedger(RuntimeHttp http) {
    this.http = http;
  }

  /** A request's status as the runtime records it. */
  record Status(String status, long promptTokens, long completionTokens) {
    boolean terminal() {
      return TERMINAL.contains(status);
    }
  }

  /** The request's status, or null when the runtime does not show it. */
  Status status(String requestId) throws InterruptedException {
    try {
      JsonNode request = http.getJson("/requests/" + requestId).path("data").path("request");
      if (!request.hasNonNull("status")) return null;
      JsonNode usage = request.path("usage");
      return new Status(
          request.get("status").asText(),
          usage.path("prompt_tokens").asLong(),
          usage.path("completion_tokens").asLong());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads the status until the request is terminal or the wait ends, backing off from 50 ms to 1 s
   * between reads; returns the last status read (null when there was none).
   */
  Status awaitTerminal(String requestId, SettleWait wait) throws InterruptedException {
    Status last = status(requestId);
    long pause = 50;
    while ((last == null || !last.terminal()) && wait.pause(pause)) {
      Status now = status(requestId);
      if (now != null) last = now;
      pause = Math.min(1000, pause * 2);
    }
    return last;
  }

  /**
   * A cancelled result with the prompt tokens the runtime recorded for its request: the input is
   * billed whether or not the reply was read. Unchanged when the runtime does not show the request.
   */
  TurnResult withRecordedPrompt(TurnResult result) throws InterruptedException {
    if (result.requestId() == null) return result;
    Status status = status(result.requestId());
    return status == null ? result : result.withPromptTokens(status.promptTokens());
  }

  /** A failed request's bill: the prompt tokens and the cost the runtime recorded for it. */
  TurnResult failed(String requestId) throws InterruptedException {
    TurnResult failed = new TurnResult(requestId, "", "error", 0, 0, 0, Map.of(), false);
    return priced(withRecordedPrompt(failed), requestId);
  }

  /**
   * The result priced with what the meter has recorded for the requests, summed (null ids left
   * out); the result unchanged when the runtime cannot be read.
   */
  TurnResult priced(TurnResult result, String... ids) throws InterruptedException {
    List<String> requestIds = Stream.of(ids).filter(Objects::nonNull).distinct().toList();
    if (requestIds.isEmpty()) return result;
    ObjectNode body = Json.mapper().createObjectNode();
    requestIds.forEach(body.putArray("request_ids")::add);
    try {
      HttpResponse<String> response =
          http.client()
              .send(
                  http.post("/metering/costs", body).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) return result;
      JsonNode costs = Json.mapper().readTree(response.body()).path("data").path("costs");
      double total = 0;
      Map<String, Double> byComponent = new LinkedHashMap<>();
      for (String id : requestIds) {
        JsonNode cost = costs.path(id);
        total += cost.path("total_usd").asDouble();
        cost.path("by_component")
            .properties()
            .forEach(e -> byComponent.merge(e.getKey(), e.getValue().asDouble(), Double::sum));
      }
      return result.withCost(total, byComponent);
    } catch (IOException | RuntimeException e) {
      return result;
    }
  }

  /**
   * Settles a cancelled turn of a pattern that has no cancel: its request runs on to the end and is
   * billed for all of it, so the bill is final once the request is terminal. Waits for the runtime
   * to name the request, then for it to end, within {@code wait}.
   *
   * @param why what cancelling did and did not do, for the user
   */
  CancelledTurn runsOn(ChatCall call, SettleWait wait, String why) throws InterruptedException {
    while (call.requestId() == null && wait.pause(20)) {
      // the runtime names the request with its first answer
    }
    String id = call.requestId();
    TurnResult cancelled = TurnResult.cancelled(id);
    if (id == null) {
      return new CancelledTurn(
          cancelled, why + "; the runtime had not named the request yet", false);
    }
    Status status = status(id);
    if (status == null || !status.terminal()) {
      wait.notice(
          "waiting up to "
              + wait.limit().toSeconds()
              + " s for request "
              + id
              + " to end and for its final bill; Ctrl-C stops waiting");
      status = awaitTerminal(id, wait);
    }
    if (status != null) cancelled = cancelled.withPromptTokens(status.promptTokens());
    TurnResult priced = priced(cancelled, id);
    if (status != null && status.terminal()) {
      return new CancelledTurn(
          priced,
          why + "; it ended " + status.status() + " with " + status.completionTokens() + " tokens",
          true);
    }
    return new CancelledTurn(
        priced,
        why + "; still " + (status == null ? "running" : status.status()) + " on the server",
        false);
  }
}
