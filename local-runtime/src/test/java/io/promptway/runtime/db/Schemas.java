package io.promptway.runtime.db;

import java.util.ArrayList;
import java.util.List;

/** A database's tables, columns and indexes as lines of text, to compare two schemas. */
public final class Schemas {
  private Schemas() {}

  public static List<String> describe(Database db) {
    List<String> out = new ArrayList<>();
    out.addAll(
        lines(
            db,
            "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, "
                + "COLUMN_DEFAULT, IS_IDENTITY FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME <> 'SCHEMA_VERSIONS' "
                + "ORDER BY TABLE_NAME, ORDINAL_POSITION"));
    // primary keys get generated names, so only the other indexes are named
    out.addAll(
        lines(
            db,
            "SELECT i.TABLE_NAME, i.INDEX_TYPE_NAME, "
                + "CASE WHEN i.INDEX_TYPE_NAME = 'PRIMARY KEY' THEN '' ELSE i.INDEX_NAME END, "
                + "c.COLUMN_NAME, c.ORDINAL_POSITION FROM INFORMATION_SCHEMA.INDEXES i "
                + "JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c ON c.INDEX_SCHEMA = i.INDEX_SCHEMA "
                + "AND c.INDEX_NAME = i.INDEX_NAME WHERE i.TABLE_SCHEMA = 'PUBLIC' "
                + "AND i.TABLE_NAME <> 'SCHEMA_VERSIONS' ORDER BY 1, 2, 3, 4"));
    return out;
  }

  /** Each row of {@code sql} as its columns joined by spaces. */
  private static List<String> lines(Database db, String sql) {
    return db.list(
        "the schema",
        sql,
        rs -> {
          List<String> columns = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            columns.add(String.valueOf(rs.getObject(i)));
          }
          return String.join(" ", columns);
        });
  }
}
