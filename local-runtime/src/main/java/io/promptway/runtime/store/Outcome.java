package io.promptway.runtime.store;

/**
 * Fields set together with a status change; null fields are left as they are.
 *
 * @param clientStatus the HTTP status the client received, when the gateway answered
 */
public record Outcome(
    Integer promptTokens,
    Integer completionTokens,
    Integer clientStatus,
    Integer attempts,
    String errorCode,
    String errorMessage,
    String result) {

  public static final Outcome NONE = new Outcome(null, null, null, null, null, null, null);

  public static Outcome completed(int promptTokens, int completionTokens, String result) {
    return new Outcome(promptTokens, completionTokens, null, null, null, null, result);
  }

  public static Outcome failed(String code, String message) {
    return new Outcome(null, null, null, null, code, message, null);
  }

  public static Outcome clientStatus(int status) {
    return new Outcome(null, null, status, null, null, null, null);
  }

  public static Outcome attempts(int attempts) {
    return new Outcome(null, null, null, attempts, null, null, null);
  }

  public Outcome withClientStatus(int status) {
    return new Outcome(
        promptTokens, completionTokens, status, attempts, errorCode, errorMessage, result);
  }
}
