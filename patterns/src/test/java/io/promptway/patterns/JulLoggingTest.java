package io.promptway.patterns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.logging.common.spi.LoggingProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JulLoggingTest {
  @Test
  void helidonFindsALoggingProviderSoItPrintsNoNoticeAtStart() {
    assertTrue(
        ServiceLoader.load(LoggingProvider.class).stream()
            .anyMatch(p -> p.type() == JulLogging.class),
        "JulLogging is not registered under META-INF/services");
  }
}
