package io.promptway.cli;

import io.promptway.patterns.ListenFailure;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.FileProblems;
import io.promptway.runtime.db.Database;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Exit codes and the one place failures are printed: {@code [promptway] message} on stderr, the
 * stack trace only with {@code PROMPTWAY_DEBUG=1}.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** Assertions of a scenario failed. */
  public static final int ASSERTIONS_FAILED = 1;

  /** Bad input: flags, files, config. */
  public static final int USAGE = 2;

  public static final int RUNTIME_ERROR = 3;

  private ExitCodes() {}

  /** A failure with a message for people and an exit code. */
  public static final class Failure extends RuntimeException {
    private final int code;

    public Failure(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** A usage failure: {@code option} got {@code value}, which is not one of {@code known}. */
    public static Failure unknown(
        String option, String what, String value, Iterable<String> known) {
      return new Failure(
          USAGE,
          option
              + ": unknown "
              + what
              + " '"
              + value
              + "' (known: "
              + String.join(", ", known)
              + ")");
    }
  }

  static final class Handler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
      int code;
      String message;
      if (e instanceof Failure f) {
        code = f.code();
        message = f.getMessage();
      } else if (e instanceof IllegalArgumentException
          || e instanceof ConfigLoader.ConfigException) {
        code = USAGE;
        message = e.getMessage();
      } else if (e instanceof Database.DatabaseException || e instanceof ListenFailure) {
        code = RUNTIME_ERROR; // the machine's state, not the command line: said in words
        message = e.getMessage();
      } else if (e instanceof FileSystemException f) {
        code = RUNTIME_ERROR; // a file no flag named: said in words, with its path
        message = f.getFile() + ": " + FileProblems.reason(f);
      } else {
        code = RUNTIME_ERROR;
        message = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      // one line each for the problems of a configuration or a scenario
      for (String line : String.valueOf(message).split("\n"))
        cli.getErr().println("[promptway] " + line);
      if ("1".equals(System.getenv("PROMPTWAY_DEBUG"))) e.printStackTrace(cli.getErr());
      cli.getErr().flush();
      return code;
    }
  }

  static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
      CommandLine cli = e.getCommandLine();
      String help = cli.getCommandSpec().qualifiedName() + " --help";
      String command = unknownCommand(e);
      if (command != null) {
        cli.getErr()
            .println(
                "[promptway] unknown command '"
                    + command
                    + "'; commands: "
                    + String.join(", ", commands(cli))
                    + " (see "
                    + help
                    + ")");
      } else {
        cli.getErr().println("[promptway] " + e.getMessage());
        cli.getErr().println("Run '" + help + "' for usage.");
      }
      cli.getErr().flush();
      return USAGE;
    }

    /** The word given where a command with subcommands expects one of them, or null. */
    private static String unknownCommand(CommandLine.ParameterException e) {
      if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) return null;
      if (e.getCommandLine().getSubcommands().isEmpty() || unmatched.getUnmatched().isEmpty())
        return null;
      String first = unmatched.getUnmatched().get(0);
      return first.startsWith("-") ? null : first;
    }

    private static List<String> commands(CommandLine cli) {
      return cli.getSubcommands().entrySet().stream()
          .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden())
          .map(Map.Entry::getKey)
          .filter(name -> !name.equals("help"))
          .toList();
    }
  }
}
