package io.promptway.benchmarks.queue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.queue.JdbcMessageQueue;
import io.promptway.runtime.queue.QueueSettings;
import io.promptway.runtime.queue.ReceivedMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH throughput of the emulated queue on an H2 file database with the shipped meter: one message
 * through send, receive and delete, and a batch of ten sent one by one, received in one call and
 * deleted one by one (the async workers' path). Run with several threads ({@code -t}) to see the
 * group commit share transactions between concurrent callers; each thread's messages may be
 * received by another thread, as with competing consumers.
 *
 * <pre>
 * benchmarks/queue-jmh.sh                 # defaults: -t 4 -f 1 -wi 2 -i 3
 * benchmarks/queue-jmh.sh -t 1            # extra arguments go to JMH
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class QueueBenchmark {
  private static final String BODY = "x".repeat(512);

  private Path dir;
  private Database db;
  private JdbcMeter meter;
  private JdbcMessageQueue queue;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("promptway-queue-jmh");
    SimulatedClock clock = SimulatedClock.realTime();
    db = new Database("jdbc:h2:file:" + dir.resolve("queue") + ";DB_CLOSE_DELAY=-1");
    meter = new JdbcMeter(db, PriceTable.shipped(), clock);
    queue =
        new JdbcMessageQueue(
            db,
            clock,
            meter,
            new QueueSettings(
                "bench",
                "bench",
                Duration.ofSeconds(30),
                5,
                Duration.ofDays(4),
                1 << 20,
                Duration.ofMillis(50),
                "bench-dlq"));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    meter.close();
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One message: send, receive (up to 1), delete what was received. Ops/s = messages/s. */
  @Benchmark
  public void sendReceiveDelete(Blackhole bh) {
    bh.consume(queue.send(BODY, "r"));
    for (ReceivedMessage m : queue.receive(1)) bh.consume(queue.delete(m.receiptHandle()));
  }

  /** Ten sends, one batch receive of up to ten, a delete each. Reported per message. */
  @Benchmark
  @OperationsPerInvocation(10)
  public void batchOfTen(Blackhole bh) {
    for (int i = 0; i < 10; i++) bh.consume(queue.send(BODY, "r"));
    List<ReceivedMessage> got = queue.receive(10);
    for (ReceivedMessage m : got) bh.consume(queue.delete(m.receiptHandle()));
  }
}
