package io.promptway.cli;

import io.promptway.cli.chat.ChatCommand;
import io.promptway.cli.scenario.RecommendCommand;
import io.promptway.cli.scenario.ReportCommand;
import io.promptway.cli.scenario.RunCommand;
import io.promptway.cli.scenario.ScenariosCommand;
import io.promptway.patterns.StartupPrefetch;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code promptway} command: every subcommand is listed here. */
@Command(
    name = "promptway",
    mixinStandardHelpOptions = true,
    versionProvider = Promptway.Version.class,
    description =
        "Compare LLM-API patterns (sync, SSE, WebSocket, queue + webhook, event bus) on a local emulated platform.")
public final class Promptway implements Runnable {
  /**
   * Every subcommand by its name (as its {@code @Command} gives it; a test checks they agree): the
   * launcher looks a name up here before picocli starts, and reading each class's annotation for it
   * took tens of milliseconds of start-up.
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> byName = new LinkedHashMap<>();
    byName.put("serve", ServeCommand.class);
    byName.put("run", RunCommand.class);
    byName.put("report", ReportCommand.class);
    byName.put("recommend", RecommendCommand.class);
    byName.put("scenarios", ScenariosCommand.class);
    byName.put("chat", ChatCommand.class);
    byName.put("warm-up", WarmUpCommand.class);
    byName.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(byName);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    if (args.length > 0 && startsRuntime(args[0])) StartupPrefetch.start();
    LogSetup.forCommandLine();
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line with the given writers; returns the exit code. Tests call this. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(args.length == 0 ? null : args[0]);
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /** The whole command tree. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command tree for a command line starting with {@code first}: when it names a subcommand,
   * only that one is built. Picocli reflects over every option of every command it is given, which
   * is start-up time that {@code promptway serve} need not pay for the chat REPL's options.
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new Promptway());
    Class<?> only = subcommandNamed(first);
    for (Class<?> sub : SUBCOMMANDS.values()) {
      if (only == null || sub == only) cli.addSubcommand(sub);
    }
    cli.setExecutionExceptionHandler(new ExitCodes.Handler());
    cli.setParameterExceptionHandler(new ExitCodes.UsageHandler());
    return cli;
  }

  /** Whether the subcommand called {@code name} starts the embedded runtime. */
  static boolean startsRuntime(String name) {
    Class<?> command = subcommandNamed(name);
    return command != null && StartsRuntime.class.isAssignableFrom(command);
  }

  /** The subcommands by name, as {@link #commandLine} registers them. */
  static Map<String, Class<?>> subcommandsByName() {
    return SUBCOMMANDS;
  }

  /** The subcommand called {@code name}, or null (also for {@code help}: it lists them all). */
  private static Class<?> subcommandNamed(String name) {
    Class<?> command = name == null ? null : SUBCOMMANDS.get(name);
    return command == CommandLine.HelpCommand.class ? null : command;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Promptway.class.getPackage().getImplementationVersion();
      return new String[] {
        "promptway " + (v == null ? "development build" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"
      };
    }
  }
}
