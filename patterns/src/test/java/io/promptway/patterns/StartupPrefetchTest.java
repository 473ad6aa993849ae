package io.promptway.patterns;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartupPrefetchTest {
  @Test
  void runsOnADaemonThreadThatEndsByItself() throws InterruptedException {
    Thread prefetch = StartupPrefetch.start();

    assertTrue(prefetch.isDaemon(), "must never keep a finished command's JVM alive");
    prefetch.join(30_000);
    assertFalse(prefetch.isAlive(), "the prefetch did not finish within 30 s");
  }
}
