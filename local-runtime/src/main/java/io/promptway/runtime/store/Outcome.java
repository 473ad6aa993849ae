package io.promptway.runtime.store;

/**
 * Fields set together with a status change; null fields are left as they are.
 *
 * @param clientStatus the HTTP status the client received, when the gateway answered
 * @param model the model that serves the request, when it is not the one the request named (e.g. a
 *     bus rule routed it to another processor)
 */
public record Outcome(
    Integer promptTokens,
    Integer completionTokens,
    Integer clientStatus,
    Integer attempts,
    String errorCode,
    String errorMessage,
    String result,
    String model) {

  public static final Outcome NONE = new Outcome(null, null, null, null, null, null, null, null);

  public static Outcome completed(int promptTokens, int completionTokens, String result) {
    return new Outcome(promptTokens, completionTokens, null, null, null, null, result, null);
  }

  public static Outcome failed(String code, String message) {
    return new Outcome(null, null, null, null, code, message, null, null);
  }

  public static Outcome clientStatus(int status) {
    return new Outcome(null, null, status, null, null, null, null, null);
  }

  public static Outcome attempts(int attempts) {
    return new Outcome(null, null, null, attempts, null, null, null, null);
  }

  public Outcome withClientStatus(int status) {
    return new Outcome(
        promptTokens, completionTokens, status, attempts, errorCode, errorMessage, result, model);
  }

  public Outcome withModel(String model) {
    return new Outcome(
        promptTokens,
        completionTokens,
        clientStatus,
        attempts,
        errorCode,
        errorMessage,
        result,
        model);
  }
}
