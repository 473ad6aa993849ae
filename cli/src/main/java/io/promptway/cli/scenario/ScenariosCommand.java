package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.scenarios.model.Durations;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioException;
import io.promptway.scenarios.workload.ArrivalSchedule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code promptway scenarios list|show|validate}: the scenario library and file checks. */
@Command(
    name = "scenarios",
    mixinStandardHelpOptions = true,
    description = "List, show and validate scenario files.",
    subcommands = {
      ScenariosCommand.ListCommand.class,
      ScenariosCommand.ShowCommand.class,
      ScenariosCommand.ValidateCommand.class
    })
public final class ScenariosCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Lists the library with the question each scenario answers. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the library scenarios and the question each answers.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (String name : ScenarioFiles.LIBRARY) {
        ScenarioFiles.Source s = ScenarioFiles.source(name);
        out.printf(
            "%-20s %s%n%-20s   (%s)%n", name, ScenarioFiles.question(s.text()), "", s.label());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** Prints a scenario file. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a scenario file.")
  static final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO")
    String scenario;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(ScenarioFiles.source(scenario).text());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** Validates every scenario file given, each on its own; exit 2 when any is invalid. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Check scenario files (a folder: every .yaml in it); problems name file, line and"
              + " column.")
  static final class ValidateCommand implements Callable<Integer> {
    @Parameters(
        arity = "1..*",
        paramLabel = "SCENARIO",
        description = "A scenario file, a library name, or a folder of .yaml files.")
    List<String> scenarios;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean ok = true;
      List<String> files = new ArrayList<>();
      for (String arg : scenarios) {
        try {
          files.addAll(ScenarioFiles.expand(arg));
        } catch (ExitCodes.Failure f) {
          ok = false;
          err.println("[promptway] " + f.getMessage());
        }
      }
      for (String arg : files) {
        try {
          ScenarioFiles.Source s = ScenarioFiles.source(arg);
          Scenario sc = ScenarioFiles.parse(s);
          out.printf(
              "ok  %s: %d requests per pattern over %s simulated, patterns %s%n",
              s.label(),
              ArrivalSchedule.count(sc.stages(), sc.seed()),
              Durations.format(sc.durationMs()),
              String.join(",", sc.patterns()));
          for (String w : sc.warnings()) out.println("    warning: " + w);
        } catch (ScenarioException e) {
          ok = false;
          for (ScenarioException.Problem p : e.problems()) err.println("[promptway] " + p);
        } catch (ExitCodes.Failure f) { // a file that is missing or unreadable: go on to the next
          ok = false;
          err.println("[promptway] " + f.getMessage());
        }
      }
      out.flush();
      err.flush();
      return ok ? ExitCodes.OK : ExitCodes.USAGE;
    }
  }
}
