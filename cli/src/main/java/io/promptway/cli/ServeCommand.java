package io.promptway.cli;

import io.promptway.patterns.ListenFailure;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.RuntimeConfig;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code promptway serve}: runs the runtime until Ctrl-C or SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start the local runtime and serve every pattern.")
public final class ServeCommand implements Callable<Integer>, StartsRuntime {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (0 picks a free one). Default: 8080.")
  Integer port;

  @Mixin RuntimeOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    RuntimeConfig config = options.load(Map.of(), port);
    long started = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    RunningRuntime runtime = start(config, out);
    out.printf(
        "Promptway runtime listening on %s (started in %d ms)%n",
        runtime.baseUri(), (System.nanoTime() - started) / 1_000_000);
    out.printf(
        "  environment %s, time scale %s, state %s%n",
        config.environment().name().toLowerCase(Locale.ROOT),
        config.timeScale(),
        config.state().effectiveJdbcUrl());
    out.println("Routes:");
    for (String route : runtime.routes()) out.println("  " + route);
    out.println("Press Ctrl-C to stop.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                },
                "promptway-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }

  private static RunningRuntime start(RuntimeConfig config, PrintWriter out) {
    try {
      return PromptwayServer.start(config, line -> out.println(line));
    } catch (ListenFailure e) {
      String hint = e.portInUse() ? " (pick another with --port, or 0 for any free port)" : "";
      throw new ExitCodes.Failure(ExitCodes.RUNTIME_ERROR, e.getMessage() + hint);
    }
  }
}
