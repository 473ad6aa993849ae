package io.promptway.runtime.observability;

/** One readiness check (a dependency the runtime cannot serve without). */
public interface HealthCheck {
  String name();

  /** Runs the check; must not throw. */
  Result check();

  /** Up or down, with a short detail a person can act on. */
  record Result(boolean up, String detail) {
    public static Result up(String detail) {
      return new Result(true, detail);
    }

    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }
}
