package io.promptway.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code promptway} command: every subcommand is listed here. */
@Command(
    name = "promptway",
    mixinStandardHelpOptions = true,
    versionProvider = Promptway.Version.class,
    description =
        "Compare LLM-API patterns (sync, SSE, WebSocket, queue + webhook, event bus) on a local emulated platform.",
    subcommands = {
      ServeCommand.class,
      io.promptway.cli.scenario.RunCommand.class,
      io.promptway.cli.scenario.ReportCommand.class,
      io.promptway.cli.scenario.RecommendCommand.class,
      io.promptway.cli.scenario.ScenariosCommand.class,
      io.promptway.cli.chat.ChatCommand.class,
      WarmUpCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Promptway implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line with the given writers; returns the exit code. Tests call this. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Promptway());
    cli.setExecutionExceptionHandler(new ExitCodes.Handler());
    cli.setParameterExceptionHandler(new ExitCodes.UsageHandler());
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Promptway.class.getPackage().getImplementationVersion();
      return new String[] {"promptway " + (v == null ? "development build" : v)};
    }
  }
}
