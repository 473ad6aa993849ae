package io.promptway.runtime.bus;

import io.promptway.runtime.db.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Reads from the archive the deliveries a stopped runtime left unfinished: every target of a
 * matched rule that has neither a delivery nor a dead letter archived, with the last attempt that
 * failed. The rules' targets are today's, so a rule removed since is not redelivered.
 */
final class UnfinishedDeliveries {
  private static final Logger LOG = Logger.getLogger(UnfinishedDeliveries.class.getName());

  /** A delivery to redeliver; {@code failedAttempts} is the last attempt archived as failed. */
  record Unfinished(
      String eventId,
      String requestId,
      String rule,
      String target,
      int failedAttempts,
      Instant matchedAt) {}

  private UnfinishedDeliveries() {}

  /**
   * @param upTo the last archive row written before this runtime started: later rows are its own
   */
  static List<Unfinished> find(Database db, long upTo, Map<String, List<String>> targetsByRule) {
    Map<List<String>, Unfinished> open = new LinkedHashMap<>();
    List<String> unknownRules = new ArrayList<>();
    db.scan(
        "the bus archive",
        "SELECT event_id, request_id, kind, rule, target, attempt, at FROM bus_archive "
            + "WHERE seq <= ? AND kind IN ('MATCHED', 'FAILED', 'DELIVERED', 'DEAD_LETTERED') "
            + "ORDER BY seq",
        rs -> {
          String event = rs.getString(1);
          String rule = rs.getString(4);
          switch (ArchiveEntry.Kind.valueOf(rs.getString(3))) {
            case MATCHED -> {
              List<String> targets = targetsByRule.get(rule);
              if (targets == null) {
                if (!unknownRules.contains(rule)) unknownRules.add(rule);
                return;
              }
              Instant at = Instant.ofEpochMilli(rs.getLong(7));
              for (String t : targets)
                open.put(
                    List.of(event, rule, t),
                    new Unfinished(event, rs.getString(2), rule, t, 0, at));
            }
            case FAILED -> {
              var key = List.of(event, rule, rs.getString(5));
              Unfinished u = open.get(key);
              if (u != null)
                open.put(
                    key,
                    new Unfinished(
                        u.eventId(),
                        u.requestId(),
                        u.rule(),
                        u.target(),
                        Math.max(u.failedAttempts(), rs.getInt(6)),
                        u.matchedAt()));
            }
            default -> open.remove(List.of(event, rule, rs.getString(5)));
          }
        },
        upTo);
    if (!unknownRules.isEmpty()) {
      LOG.warning(
          "events matched by rules no longer configured are not redelivered: " + unknownRules);
    }
    return List.copyOf(open.values());
  }
}
