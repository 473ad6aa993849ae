package io.promptway.runtime.http;

import java.util.function.Supplier;

/**
 * A value built on first use, once, thread-safely: for clients that are costly to build (an HTTP
 * client builder loads and configures a good deal) and that a runtime may never need, so that
 * start-up does not pay for them.
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  public Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        if ((v = value) == null) value = v = factory.get();
      }
    }
    return v;
  }

  /** Whether the value has been built (to close it only then). */
  public boolean isSet() {
    return value != null;
  }
}
