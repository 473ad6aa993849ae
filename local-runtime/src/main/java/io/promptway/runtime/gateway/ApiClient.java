package io.promptway.runtime.gateway;

/**
 * Who sent a request, as the gateway knows it: the name of the API key (never the key) and its
 * usage plan, or {@link #ANONYMOUS} when API keys are off.
 */
public record ApiClient(String name, String plan) {
  public static final ApiClient ANONYMOUS = new ApiClient("anonymous", null);

  public boolean anonymous() {
    return this == ANONYMOUS;
  }
}
