package io.promptway.cli.chat;

import io.promptway.runtime.config.FileProblems;
import io.promptway.runtime.gateway.ChatMessage;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The chat loop: reads a line (a trailing backslash continues it), runs slash commands, or sends
 * the line as a turn over the current pattern's {@link ChatTransport} and prints tokens as they
 * arrive, then a line of timings (in the runtime's simulated time) and cost. Ctrl-C during a reply
 * cancels it and says what became of the request on the server, priced with its metered cost;
 * Ctrl-C at an empty prompt or Ctrl-D ends the loop. On a dumb terminal (piped input) output is
 * plain text without ANSI escapes.
 */
public final class ChatRepl {
  /** The patterns the REPL can talk over, in the order /help lists them. */
  public static final List<String> PATTERNS =
      List.of("websocket", "sse", "sync", "async", "events", "hybrid");

  /**
   * How long a cancelled turn waits for the runtime to settle its request: the cancel confirmed,
   * or, for a pattern without cancel, the request ended and billed in full.
   */
  static final Duration SETTLE_LIMIT = Duration.ofSeconds(15);

  static final int FALLBACK_COLUMNS = 80;
  static final int FALLBACK_ROWS = 24;

  private final Terminal terminal;
  private final LineReader reader;
  private final PrintWriter out;
  private final ChatSession session;
  private final Function<String, ChatTransport> transportFactory;
  private final Supplier<List<String>> models;
  private final Map<String, ChatTransport> transports = new LinkedHashMap<>();
  private final Clock clock;
  private final boolean plain;
  private final boolean promptShown;
  private volatile ChatCall current;
  private volatile boolean turnStarting;
  private volatile boolean cancelPending;
  private volatile SettleWait settling;

  /**
   * @param historyFile where input history persists between runs, or null for none
   * @param models model names offered by /model completion and checked by /model (an empty list
   *     checks nothing)
   */
  public ChatRepl(
      Terminal terminal,
      ChatSession session,
      Function<String, ChatTransport> transportFactory,
      Path historyFile,
      Supplier<List<String>> models,
      Clock clock) {
    this(terminal, session, transportFactory, historyFile, models, clock, true);
  }

  /**
   * @param promptShown false when the input is piped from a file or a program: no one reads a
   *     prompt there, and it would run into the reply, as the input is not echoed
   */
  public ChatRepl(
      Terminal terminal,
      ChatSession session,
      Function<String, ChatTransport> transportFactory,
      Path historyFile,
      Supplier<List<String>> models,
      Clock clock,
      boolean promptShown) {
    this.promptShown = promptShown;
    this.terminal = terminal;
    this.session = session;
    this.transportFactory = transportFactory;
    this.models = models;
    this.clock = clock;
    this.out = terminal.writer();
    this.plain = terminal.getType().startsWith(Terminal.TYPE_DUMB);
    if (!plain) sizeUnknownWidth(terminal);
    LineReaderBuilder builder =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("promptway")
            .history(new DefaultHistory())
            .completer(new SlashCommandCompleter(PATTERNS, models))
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
    if (historyFile != null) builder.variable(LineReader.HISTORY_FILE, historyFile);
    this.reader = builder.build();
  }

  /**
   * A pty with no window size (script, CI) reports 0 columns, and the line editor then renders the
   * prompt as dots and echoes nothing: such a terminal is given {@value #FALLBACK_COLUMNS} columns.
   */
  private static void sizeUnknownWidth(Terminal terminal) {
    Size size = terminal.getSize();
    if (size.getColumns() > 0) return;
    try {
      terminal.setSize(
          new Size(FALLBACK_COLUMNS, size.getRows() > 0 ? size.getRows() : FALLBACK_ROWS));
    } catch (RuntimeException | IOError e) {
      // the terminal keeps its size; the line editor copes as it can
    }
  }

  /** Runs until /quit, Ctrl-D, end of input or Ctrl-C at an empty prompt; returns the exit code. */
  public int run() {
    Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> cancelReply());
    try {
      if (!plain) {
        out.println(
            faint(
                "Promptway chat over "
                    + session.pattern()
                    + ". Type /help for commands; Ctrl-C cancels a reply, Ctrl-D exits."));
        out.flush();
      }
      while (true) {
        String line;
        try {
          line = readInput();
        } catch (UserInterruptException e) {
          if (e.getPartialLine() == null || e.getPartialLine().isBlank()) break;
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty()) continue;
        if (trimmed.startsWith("/")) {
          if (!command(trimmed)) break;
        } else {
          turn(line);
        }
      }
      return 0;
    } finally {
      terminal.handle(Signal.INT, previous);
      closeTransports();
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println(faint("[history not saved: " + e.getMessage() + "]"));
      }
      out.flush();
    }
  }

  /** The turn in flight, if any; Ctrl-C during a reply cancels it. */
  ChatCall currentCall() {
    return current;
  }

  String prompt() {
    return session.pattern() + " " + session.model() + "> ";
  }

  private String readInput() {
    String line = reader.readLine(promptShown ? prompt() : "");
    StringBuilder text = new StringBuilder();
    while (line.endsWith("\\")) {
      text.append(line, 0, line.length() - 1).append('\n');
      try {
        line = reader.readLine(promptShown ? "... " : "");
      } catch (EndOfFileException e) {
        if (text.toString().isBlank()) throw e;
        return text.toString().stripTrailing(); // input ended mid-continuation: send what came
      }
    }
    return text.append(line).toString();
  }

  private void cancelReply() {
    ChatCall call = current;
    SettleWait wait = settling;
    if (call != null) {
      call.cancel();
    } else if (turnStarting) {
      cancelPending = true; // Ctrl-C while the transport is still connecting
    } else if (wait != null) {
      wait.skip(); // Ctrl-C again while waiting for a cancelled turn's bill
    }
  }

  private void turn(String prompt) {
    long start = System.nanoTime();
    String pattern = session.pattern();
    String model = session.model();
    TurnTimer timer = new TurnTimer(start, session.timeScale());
    ReplyPrinter printer = new ReplyPrinter(out, timer, this::faint);
    TurnResult result;
    ChatTransport transport = null;
    ChatCall call = null;
    try {
      transport = transport(pattern);
      cancelPending = false;
      turnStarting = true;
      call = transport.start(new TurnRequest(prompt, session.conversation(), model), printer);
      current = call;
      turnStarting = false;
      if (cancelPending) call.cancel();
      result = call.result().get();
    } catch (ExecutionException e) {
      failed(e.getCause() == null ? e : e.getCause(), transport, call, prompt, printer, timer);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      printer.close();
      return;
    } catch (RuntimeException e) {
      failed(e, transport, call, prompt, printer, timer);
      return;
    } finally {
      current = null;
      turnStarting = false;
    }
    long end = System.nanoTime();
    String printed = printer.close();
    String reply = printed.isEmpty() ? result.text() : printed;
    if (printed.isEmpty() && !reply.isEmpty()) out.print(reply);
    if (!reply.isEmpty() && !reply.endsWith("\n")) out.println();
    CancelledTurn cancelled = result.cancelled() ? settle(call) : null;
    if (cancelled != null) result = cancelled.result();
    String answeredBy = result.answeredBy() == null ? model : result.answeredBy();
    if (!answeredBy.equals(model)) {
      say("[answered and billed by " + answeredBy + ", in place of " + model + "]");
    }
    TurnTiming timing = timer.finish(end, result.completionTokens());
    if (result.cancelled() && timer.chunks() == 0) timing = timing.withoutFirstToken();
    TurnRecord record =
        new TurnRecord(
            session.nextTurnNumber(),
            pattern,
            answeredBy,
            result.requestId(),
            prompt,
            result.cancelled() ? printed : reply,
            result.cancelled(),
            cancelled == null ? null : cancelled.onServer(),
            null,
            result.promptTokens(),
            timing,
            new TurnRecord.Cost(
                result.costUsd(),
                result.costByComponent(),
                cancelled != null && !cancelled.finalBill()));
    session.record(record);
    out.println(faint(StatsFormat.turnLine(record)));
    out.flush();
  }

  /**
   * Says why the turn failed and records it with what its request was billed, when the runtime had
   * named the request: a model error or a timeout is billed like any other request.
   */
  private void failed(
      Throwable e,
      ChatTransport transport,
      ChatCall call,
      String prompt,
      ReplyPrinter printer,
      TurnTimer timer) {
    long end = System.nanoTime();
    String printed = printer.close();
    if (!printed.isEmpty() && !printed.endsWith("\n")) out.println();
    error(e);
    String requestId = call == null ? null : call.requestId();
    if (transport == null || requestId == null) return;
    TurnResult billed;
    try {
      billed = transport.failedBill(requestId);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return;
    }
    if (billed == null) return;
    TurnRecord record =
        new TurnRecord(
            session.nextTurnNumber(),
            session.pattern(),
            session.model(),
            requestId,
            prompt,
            printed,
            false,
            null,
            describe(e),
            billed.promptTokens(),
            timer.finish(end, 0).withoutFirstToken(),
            new TurnRecord.Cost(billed.costUsd(), billed.costByComponent(), false));
    session.record(record);
    out.println(faint(StatsFormat.turnLine(record)));
    out.flush();
  }

  /**
   * Says the turn was cancelled, then waits (bounded, Ctrl-C skips) for what the server did with
   * its request and for the metered cost, and says what happened there.
   */
  private CancelledTurn settle(ChatCall call) {
    out.println(faint("[cancelled]"));
    out.flush();
    SettleWait wait = new SettleWait(SETTLE_LIMIT, message -> say("[" + message + "]"));
    settling = wait;
    try {
      CancelledTurn settled = call.settle(wait);
      if (settled.onServer() != null) say("[" + settled.onServer() + "]");
      return settled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CancelledTurn(TurnResult.cancelled(call.requestId()), null, false);
    } finally {
      settling = null;
      out.flush();
    }
  }

  private ChatTransport transport(String pattern) {
    return transports.computeIfAbsent(pattern, transportFactory);
  }

  private void closeTransports() {
    transports.values().forEach(ChatTransport::close);
    transports.clear();
  }

  /** Runs a slash command; returns false when the REPL should end. */
  private boolean command(String line) {
    if (plain) out.println(); // piped input is not echoed: start the output on its own line
    String[] parts = line.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    switch (parts[0]) {
      case "/quit", "/exit" -> {
        return false;
      }
      case "/pattern" -> switchPattern(arg);
      case "/model" -> {
        if (arg.isEmpty()) {
          say("model: " + session.model());
        } else if (knownModel(arg)) {
          session.model(arg);
          say("model " + arg);
        } else {
          say(
              "unknown model '"
                  + arg
                  + "' (known: "
                  + String.join(", ", models.get())
                  + "); still "
                  + session.model());
        }
      }
      case "/stats" -> out.print(StatsFormat.table(session.turns()));
      case "/cost" -> out.print(StatsFormat.cost(session));
      case "/history" -> history();
      case "/clear" -> {
        session.clearConversation(); // a WebSocket transport then starts a new conversation
        say("conversation cleared");
      }
      case "/save" -> save(arg);
      case "/help" -> out.print(help());
      default -> say("unknown command " + parts[0] + "; /help lists the commands");
    }
    out.flush();
    return true;
  }

  private void switchPattern(String name) {
    if (name.isEmpty()) {
      say("pattern: " + session.pattern() + " (one of " + String.join(", ", PATTERNS) + ")");
    } else if (!PATTERNS.contains(name)) {
      say("unknown pattern '" + name + "'; one of " + String.join(", ", PATTERNS));
    } else {
      session.pattern(name);
      say("pattern " + name + " (context kept: " + session.conversation().size() + " messages)");
    }
  }

  private void history() {
    List<ChatMessage> messages = session.conversation();
    if (messages.isEmpty()) say("no conversation yet");
    for (ChatMessage m : messages) {
      out.println((m.role().equals("user") ? "you: " : "assistant: ") + m.content());
    }
  }

  private void save(String file) {
    if (file.isEmpty()) {
      say("usage: /save FILE");
      return;
    }
    Path path =
        Path.of(
            file.equals("~") || file.startsWith("~/")
                ? System.getProperty("user.home") + file.substring(1)
                : file);
    try {
      TranscriptWriter.write(session, path, clock.instant());
      say("saved " + session.turns().size() + " turns to " + path);
    } catch (IOException e) {
      say("cannot save to " + path + ": " + FileProblems.reason(e));
    }
  }

  private String help() {
    return String.join(
        "\n",
        "/pattern NAME  switch pattern, keeping the conversation ("
            + String.join(", ", PATTERNS)
            + ")",
        "/model NAME    switch model",
        "/stats         timings and cost of every turn",
        "/cost          session cost by component",
        "/history       the conversation so far",
        "/clear         forget the conversation (stats stay)",
        "/save FILE     write the transcript with timings as JSON",
        "/help          this list",
        "/quit          leave (also Ctrl-D, or Ctrl-C at an empty prompt)",
        "A line ending in \\ continues on the next line; Ctrl-C during a reply cancels it.",
        "");
  }

  private boolean knownModel(String name) {
    List<String> known = models.get();
    return known.isEmpty() || known.contains(name);
  }

  private void say(String message) {
    out.println(faint(message));
  }

  private void error(Throwable e) {
    String message = describe(e);
    out.println();
    out.println(
        plain
            ? "[error] " + message
            : new AttributedString(
                    "[error] " + message, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED))
                .toAnsi(terminal));
    out.flush();
  }

  static String describe(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    // A transport's own failure ("cannot send over the WebSocket") may wrap the refused connection.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "cannot connect to the runtime (is it running?)";
      }
    }
    if (e instanceof HttpTimeoutException) return "the runtime did not answer in time";
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : (e instanceof ChatTransportException ? "" : e.getClass().getSimpleName() + ": ")
            + message;
  }

  private String faint(String text) {
    return plain
        ? text
        : new AttributedString(text, AttributedStyle.DEFAULT.faint()).toAnsi(terminal);
  }
}
