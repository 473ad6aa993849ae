package io.promptway.runtime.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several small rows packed into one text column: fields end in a tab, rows in a newline. A
 * backslash escapes a backslash, tab or newline inside a field ({@code \\ \t \n}); {@code \N} is
 * null. Writing one packed row per request and batch instead of one row per item saves the database
 * most of its per-row work (two B-tree inserts each), which was most of what metering and the audit
 * trail cost.
 */
public final class PackedText {
  private static final String NULL = "\\N";
  private static final long MAX_EXACT_LONG = 1L << 53;

  private PackedText() {}

  /** Appends fields and rows to one packed text. */
  public static final class Builder {
    private final StringBuilder text = new StringBuilder(256);

    public Builder field(String value) {
      if (value == null) {
        text.append(NULL);
      } else if (plain(value)) {
        text.append(value); // one copy, not a char at a time: most fields need no escape
      } else {
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          switch (c) {
            case '\\' -> text.append("\\\\");
            case '\t' -> text.append("\\t");
            case '\n' -> text.append("\\n");
            default -> text.append(c);
          }
        }
      }
      text.append('\t');
      return this;
    }

    private static boolean plain(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\\' || c == '\t' || c == '\n') return false;
      }
      return true;
    }

    /**
     * A whole number as an integer ({@code 16}, not {@code 16.0}): most metered quantities are
     * (requests, tokens), and writing a long costs a fraction of writing a double's shortest form.
     * Either reads back with {@link Double#parseDouble}.
     */
    public Builder field(double value) {
      long whole = (long) value;
      if (whole == value && Math.abs(whole) <= MAX_EXACT_LONG) text.append(whole);
      else text.append(value);
      text.append('\t');
      return this;
    }

    /**
     * As its second since the epoch and, after a dot, the nanosecond in that second (nine digits):
     * the form {@link #instant} reads. Not a decimal fraction before 1970.
     */
    public Builder field(Instant value) {
      text.append(value.getEpochSecond()).append('.');
      String nanos = Integer.toString(value.getNano());
      for (int i = nanos.length(); i < 9; i++) text.append('0');
      text.append(nanos).append('\t');
      return this;
    }

    public Builder endRow() {
      text.append('\n');
      return this;
    }

    public int length() {
      return text.length();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  /**
   * Packed texts by key (a request id), in the order the keys came; a key's text that has reached
   * {@value #MAX_CHARS} characters is left as it is and a new one begun, so that no row outgrows
   * its column (1,000,000 characters).
   */
  public static final class ByKey {
    static final int MAX_CHARS = 500_000;
    private final List<Map.Entry<String, Builder>> texts = new ArrayList<>();
    private final Map<String, Builder> open = new HashMap<>();

    /** The text that {@code key}'s next row goes in. */
    public Builder of(String key) {
      Builder b = open.get(key);
      if (b == null || b.length() >= MAX_CHARS) {
        b = new Builder();
        open.put(key, b);
        texts.add(Map.entry(key, b));
      }
      return b;
    }

    /** Runs {@code insert} (key, packed text) once per text, in one JDBC batch. */
    public void insertAll(PreparedStatement insert) throws SQLException {
      for (Map.Entry<String, Builder> t : texts) {
        insert.setString(1, t.getKey());
        insert.setString(2, t.getValue().toString());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The rows of a packed text, each as its fields (null where {@code \N} was written). */
  public static List<String[]> rows(String packed) {
    List<String[]> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean isNull = false;
    for (int i = 0; i < packed.length(); i++) {
      char c = packed.charAt(i);
      if (c == '\\' && i + 1 < packed.length()) {
        char next = packed.charAt(++i);
        switch (next) {
          case 't' -> field.append('\t');
          case 'n' -> field.append('\n');
          case 'N' -> isNull = true;
          default -> field.append(next);
        }
      } else if (c == '\t') {
        fields.add(isNull ? null : field.toString());
        field.setLength(0);
        isNull = false;
      } else if (c == '\n') {
        rows.add(fields.toArray(String[]::new));
        fields.clear();
      } else {
        field.append(c);
      }
    }
    if (!fields.isEmpty()) {
      throw new IllegalArgumentException("packed text ends inside a row: " + fields);
    }
    return rows;
  }

  /** Reads an instant written by {@link Builder#field(Instant)} or {@link #sqlInstant}. */
  public static Instant instant(String field) {
    int dot = field.indexOf('.');
    if (dot < 0) return Instant.ofEpochSecond(Long.parseLong(field));
    String nanos = field.substring(dot + 1);
    if (nanos.length() != 9)
      throw new NumberFormatException("not nine digits of nanoseconds: " + field);
    return Instant.ofEpochSecond(Long.parseLong(field.substring(0, dot)), Integer.parseInt(nanos));
  }

  /**
   * SQL that packs a string column as one field, for migrations that move rows into packed text.
   */
  public static String sqlField(String column) {
    return "COALESCE(REPLACE(REPLACE(REPLACE("
        + column
        + ", '\\', '\\\\'), CHAR(9), '\\t'), CHAR(10), '\\n'), '\\N') || CHAR(9)";
  }

  /** SQL that packs a number column as one field. */
  public static String sqlNumber(String column) {
    return "CAST(" + column + " AS VARCHAR) || CHAR(9)";
  }

  /** SQL that packs a timestamp column as one field, as {@link Builder#field(Instant)} does. */
  public static String sqlInstant(String column) {
    return "CAST(FLOOR(EXTRACT(EPOCH FROM "
        + column
        + ")) AS BIGINT) || '.' || LPAD(CAST(EXTRACT(NANOSECOND FROM "
        + column
        + ") AS VARCHAR), 9, '0') || CHAR(9)";
  }

  /** SQL that ends a packed row. */
  public static String sqlEndRow() {
    return "CHAR(10)";
  }
}
