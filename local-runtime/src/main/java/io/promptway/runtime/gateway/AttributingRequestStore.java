package io.promptway.runtime.gateway;

import io.promptway.runtime.store.NewRequest;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import io.promptway.runtime.store.RequestStore;
import io.promptway.runtime.store.StatusTransition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The request store as the gateway sees it: when a pattern records a new request, its caller (the
 * API key name the gateway put in the request context) is noted so that every later meter record of
 * that request, however late, is attributed to the caller. Everything else passes through.
 */
public final class AttributingRequestStore implements RequestStore {
  private final RequestStore delegate;
  private final AttributingMeter meter;

  public AttributingRequestStore(RequestStore delegate, AttributingMeter meter) {
    this.delegate = delegate;
    this.meter = meter;
  }

  @Override
  public RequestRecord create(NewRequest request) {
    meter.attribute(request.id(), request.caller());
    return delegate.create(request);
  }

  @Override
  public boolean transition(
      String id, RequestStatus expected, RequestStatus to, String detail, Outcome outcome) {
    return delegate.transition(id, expected, to, detail, outcome);
  }

  @Override
  public void note(String id, String detail) {
    delegate.note(id, detail);
  }

  @Override
  public Optional<RequestRecord> find(String id) {
    return delegate.find(id);
  }

  @Override
  public Optional<RequestRecord> inspect(String id) {
    return delegate.inspect(id);
  }

  @Override
  public List<StatusTransition> trail(String id) {
    return delegate.trail(id);
  }

  @Override
  public int expire(Instant now) {
    return delegate.expire(now);
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
