package io.promptway.runtime.gateway;

/**
 * Who sent a request, as the gateway knows it: the name of the API key (never the key) and its
 * usage plan, {@link #ANONYMOUS} when API keys are off, or {@link #PLATFORM} for what the
 * deployment does on its own account (its functions' calls to the model, a queue's empty receives).
 */
public record ApiClient(String name, String plan) {
  public static final ApiClient ANONYMOUS = new ApiClient("anonymous", null);
  public static final ApiClient PLATFORM = new ApiClient("platform", null);

  public boolean anonymous() {
    return this == ANONYMOUS;
  }
}
