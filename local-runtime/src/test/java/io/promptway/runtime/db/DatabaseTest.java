package io.promptway.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void aFileDatabaseGetsItsFolderMadeForIt() throws Exception {
    Path folder = dir.resolve("a/b/c");
    try (Database db =
        new Database("jdbc:h2:file:" + folder.resolve("state") + ";DB_CLOSE_DELAY=-1")) {
      db.migrate("t", List.of(List.of("CREATE TABLE t (x INT)")));
    }
    assertTrue(Files.isRegularFile(folder.resolve("state.mv.db")));
  }

  @Test
  void aFolderThatCannotBeMadeIsNamedWithTheReasonBeforeH2TouchesIt() throws Exception {
    Path blocker = Files.writeString(dir.resolve("afile"), "in the way");

    var e =
        assertThrows(
            Database.DatabaseException.class,
            () -> new Database("jdbc:h2:file:" + blocker.resolve("state") + ";DB_CLOSE_DELAY=-1"));

    assertEquals(
        "cannot make the state database's folder "
            + blocker
            + " (a file of that name is in the way)",
        e.getMessage());
    assertTrue(Files.isRegularFile(blocker), "nothing was written over the file");
  }
}
