package io.promptway.benchmarks.metering;

import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.metering.RecentRequests;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The meter's look-ups of one request among the recent ones, full at the runtime's limit: a new
 * request claims a slot (the earliest forgotten), then its records find it, as a sync request's
 * eight meter records do. Ids are made ahead, so the figure is the table's own (cache misses
 * included: 200,000 ids do not fit in the CPU's cache): the runtime's request ids, which the table
 * holds as numbers ({@code request}), or ids of another shape, which it holds as Strings ({@code
 * text}).
 *
 * <pre>
 * benchmarks/jmh.sh RecentRequestsBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class RecentRequestsBenchmark {
  private static final int IDS = 1 << 20;

  @Param({"200000"})
  int limit;

  @Param({"request", "text"})
  String format;

  private RecentRequests recent;
  private String[] ids;
  private int next;

  @Setup
  public void fill() {
    SplittableRandom random = new SplittableRandom(7);
    ids = new String[IDS];
    for (int i = 0; i < IDS; i++) {
      ids[i] =
          format.equals("request")
              ? RequestIds.next()
              : "id-" + Long.toString(1_700_000_000_000L + i / 8, 32) + random.nextLong(1L << 50);
    }
    recent = new RecentRequests(limit);
    for (int i = 0; i < limit; i++) recent.claim(ids[i]);
    next = limit;
  }

  /** One request: its claim, then eight finds of it. */
  @Benchmark
  public int claimThenFindEightTimes() {
    String id = ids[next];
    next = (next + 1) & (IDS - 1);
    int slot = recent.claim(id);
    for (int i = 0; i < 8; i++) slot ^= recent.find(id);
    return slot;
  }
}
