package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.promptway.patterns.RunningRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * How much the REPL adds to time to first token: the same turns are timed once through the
 * transport alone (start to first token callback) and once through the whole REPL (Enter written to
 * the terminal's input to the first reply byte written to its output), over a zero-latency fake
 * transport and over each real pattern the embedded runtime serves. Prints a table of percentiles.
 *
 * <p>Run through {@link ChatLatencyBenchmarkTest}: {@code mvn -B -o test -pl cli -am
 * -Dtest=ChatLatencyBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dchat.bench=500} (the
 * table lands in {@code cli/target/surefire-reports/*ChatLatencyBenchmarkTest-output.txt}).
 */
public final class ChatLatencyBenchmark {
  /** Fast enough for many turns, slow enough that real overheads stay under the 29 s timeout. */
  private static final int TIME_SCALE = 20;

  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  private ChatLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int turns = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    List<String> patterns =
        args.length > 1 ? List.of(args[1].split(",")) : List.of("sync", "sse", "websocket");
    run(turns, patterns);
  }

  /** Runs every measurement, prints the table, and returns the median added by the REPL. */
  static Map<String, Double> run(int turns, List<String> patterns) throws Exception {
    Map<String, Double> added = new LinkedHashMap<>();
    int warmup = Math.max(50, turns / 5);
    System.out.printf(
        Locale.ROOT,
        "Chat REPL overhead on time to first token (%d turns after %d warm-up, %s, %d cores)%n",
        turns,
        warmup,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%-10s %-10s %9s %9s %9s %9s%n",
        "transport",
        "measured",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "mean ms");
    added.put(
        "fake",
        report(
            "fake", measure(p -> FakeTransport.answering("fake", "token"), "fake", warmup, turns)));
    HELIDON_LOG.setLevel(Level.WARNING);
    System.out.printf(Locale.ROOT, "embedded runtime at time scale %d:%n", TIME_SCALE);
    RunningRuntime runtime = EmbeddedRuntimes.start(TIME_SCALE);
    try {
      ChatTransports transports = new ChatTransports(runtime.baseUri());
      for (String pattern : patterns) {
        if (!served(runtime, pattern)) {
          System.out.printf(Locale.ROOT, "%-10s not served by this runtime yet%n", pattern);
          continue;
        }
        added.put(
            pattern, report(pattern, measure(transports::forPattern, pattern, warmup, turns)));
      }
    } finally {
      runtime.close();
    }
    return added;
  }

  private static boolean served(RunningRuntime runtime, String pattern) {
    return runtime.patterns().stream().anyMatch(p -> p.name().equals(pattern));
  }

  private record Samples(double[] direct, double[] repl) {}

  private static Samples measure(
      Function<String, ChatTransport> factory, String pattern, int warmup, int turns)
      throws Exception {
    double[] direct = new double[turns];
    double[] repl = new double[turns];
    // Interleaved, so drift (JIT, a growing database) hits both sides alike.
    ReplHarness harness = new ReplHarness(factory, pattern);
    try (ChatTransport transport = factory.apply(pattern)) {
      for (int i = -warmup; i < turns; i++) {
        double alone = direct(transport);
        double throughRepl = harness.turn();
        if (i >= 0) {
          direct[i] = alone;
          repl[i] = throughRepl;
        }
      }
    } finally {
      harness.close();
    }
    return new Samples(direct, repl);
  }

  private static double direct(ChatTransport transport) throws Exception {
    CompletableFuture<Long> first = new CompletableFuture<>();
    long start = System.nanoTime();
    ChatCall call =
        transport.start(
            new TurnRequest("How do I pick an API pattern?", List.of(), "gpt-4o-mini"),
            text -> first.complete(System.nanoTime()));
    try {
      call.result().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Double.NaN; // e.g. a 504 when the shared machine stalls; counted, not timed
    }
    return (first.get() - start) / 1e6;
  }

  /** Drives a REPL through a piped dumb terminal, timing Enter to the first reply byte. */
  private static final class ReplHarness {
    private final PipedOutputStream keys = new PipedOutputStream();
    private final Probe screen = new Probe();
    private final Thread loop;

    ReplHarness(Function<String, ChatTransport> factory, String pattern) throws IOException {
      Terminal terminal =
          new DumbTerminal(
              "bench", Terminal.TYPE_DUMB, new PipedInputStream(keys, 1 << 16), screen, UTF_8);
      ChatRepl repl =
          new ChatRepl(
              terminal,
              new ChatSession(pattern, "gpt-4o-mini"),
              factory,
              null,
              List::of,
              Clock.systemUTC());
      loop = Thread.ofPlatform().name("bench-repl").start(repl::run);
    }

    double turn() throws Exception {
      screen.awaitPrompt();
      CountDownLatch done = screen.arm();
      long enter = System.nanoTime();
      keys.write("How do I pick an API pattern?\n".getBytes(UTF_8));
      keys.flush();
      if (!done.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("no reply");
      double ms = (screen.firstByteNanos - enter) / 1e6;
      screen.awaitPrompt();
      if (screen.sinceArm().contains("[error]")) ms = Double.NaN;
      keys.write("/clear\n".getBytes(UTF_8)); // same context size every turn, as in `direct`
      keys.flush();
      return ms;
    }

    void close() throws Exception {
      screen.awaitPrompt();
      keys.write("/quit\n".getBytes(UTF_8));
      keys.close();
      loop.join(10_000);
    }
  }

  /** The terminal's output: stamps the first byte after Enter and counts prompts. */
  private static final class Probe extends OutputStream {
    private final StringBuilder tail = new StringBuilder();
    private volatile CountDownLatch armed;
    private volatile long firstByteNanos;
    private int prompts;
    private int promptsSeen;

    private final StringBuilder sinceArm = new StringBuilder();

    synchronized String sinceArm() {
      return sinceArm.toString();
    }

    synchronized CountDownLatch arm() {
      sinceArm.setLength(0);
      CountDownLatch latch = new CountDownLatch(1);
      armed = latch;
      return latch;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      CountDownLatch latch = armed;
      if (latch != null && len > 0) {
        firstByteNanos = System.nanoTime();
        armed = null;
        latch.countDown();
      }
      String text = new String(b, off, len, UTF_8);
      tail.append(text);
      if (sinceArm.length() < 65536) sinceArm.append(text);
      int at;
      while ((at = tail.indexOf("gpt-4o-mini> ")) >= 0) {
        prompts++;
        tail.delete(0, at + "gpt-4o-mini> ".length());
        notifyAll();
      }
      if (tail.length() > 4096) tail.delete(0, tail.length() - 64);
    }

    synchronized void awaitPrompt() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (prompts <= promptsSeen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("no prompt");
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      promptsSeen = prompts;
    }
  }

  private static double report(String name, Samples s) {
    long failed =
        Arrays.stream(s.direct()).filter(Double::isNaN).count()
            + Arrays.stream(s.repl()).filter(Double::isNaN).count();
    if (failed > 0)
      System.out.printf(Locale.ROOT, "%-10s %d failed turns left out%n", name, failed);
    row(name, "transport", s.direct());
    row(name, "via REPL", s.repl());
    System.out.printf(
        Locale.ROOT,
        "%-10s %-10s %9.3f %9.3f %9.3f %9.3f%n",
        name,
        "added",
        pct(s.repl(), 50) - pct(s.direct(), 50),
        pct(s.repl(), 90) - pct(s.direct(), 90),
        pct(s.repl(), 99) - pct(s.direct(), 99),
        mean(s.repl()) - mean(s.direct()));
    return pct(s.repl(), 50) - pct(s.direct(), 50);
  }

  private static void row(String name, String what, double[] values) {
    System.out.printf(
        Locale.ROOT,
        "%-10s %-10s %9.3f %9.3f %9.3f %9.3f%n",
        name,
        what,
        pct(values, 50),
        pct(values, 90),
        pct(values, 99),
        mean(values));
  }

  private static double pct(double[] values, int p) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(0);
  }
}
