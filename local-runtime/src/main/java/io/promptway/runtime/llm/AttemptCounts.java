package io.promptway.runtime.llm;

import io.promptway.runtime.metering.RecentRequests;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many earlier calls each request has made, so that a retry draws its fault afresh: by the
 * request id when the caller sends one ({@code X-Promptway-Request-Id}, as the runtime's own calls
 * do), else by the request's plan key, since a plain OpenAI client's retry sends the same body.
 * Both are bounded: the most recent request ids, and fewer plan keys (only clients without the
 * header make them), the least recently used forgotten first.
 */
final class AttemptCounts {
  private final RecentRequests requests;
  private int[] calls = new int[0]; // by slot of `requests`, which guards both
  private final Map<Long, Integer> byPlan;

  AttemptCounts(int requestsKept, int plansKept) {
    this.requests = new RecentRequests(requestsKept);
    this.byPlan =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > plansKept;
          }
        };
  }

  /**
   * The attempt, from 0, that this call is of the request {@code requestId} (or, without one, of
   * the plan {@code planKey}).
   */
  int next(String requestId, long planKey) {
    if (requestId == null) {
      synchronized (byPlan) {
        return byPlan.merge(planKey, 1, Integer::sum) - 1;
      }
    }
    synchronized (requests) {
      int slot = requests.claim(requestId);
      if (slot < 0) {
        slot = -slot - 1;
        if (slot >= calls.length) calls = Arrays.copyOf(calls, requests.capacity());
        calls[slot] = 0;
      }
      return calls[slot]++;
    }
  }
}
