package io.promptway.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScenarioFilesTest {
  @Test
  void theQuestionEndsAtItsQuestionMarkSoNotesThatFollowAreLeftOut() {
    String text =
        """
        # Question: which pattern is
        # fastest?
        # Defaults are sized to finish in a minute.
        name: x
        """;
    assertEquals("which pattern is fastest?", ScenarioFiles.question(text));
  }

  @Test
  void theQuestionEndsAtABlankCommentLine() {
    String text =
        """
        # Question: what does sync lose
        #
        # Sized for two cores.
        name: x
        """;
    assertEquals("what does sync lose", ScenarioFiles.question(text));
  }

  @Test
  void everyLibraryScenarioAsksOneQuestion() {
    for (String name : ScenarioFiles.LIBRARY) {
      String q = ScenarioFiles.question(ScenarioFiles.source(name).text());
      assertTrue(q.endsWith("?") && q.indexOf('?') == q.length() - 1, name + ": " + q);
    }
  }
}
