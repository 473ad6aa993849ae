package io.promptway.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A saved result with any one part taken out or set to null is either refused when read, naming the
 * part, or rendered in every format and recommended on; never a NullPointerException halfway
 * through writing a report.
 */
class IncompleteResultTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aResultMissingAnyOnePartIsRefusedOrRenderedInEveryFormat() throws Exception {
    JsonNode whole = JSON.readTree(ResultJson.write(ReportsTest.sample()));
    List<String> broken = new ArrayList<>();
    for (String path : paths(whole, "")) {
      for (boolean remove : new boolean[] {true, false}) {
        JsonNode copy = whole.deepCopy();
        cut(copy, path, remove);
        String what = (remove ? "without " : "with null ") + path;
        RunResult r;
        try {
          r = ResultJson.read(JSON.writeValueAsString(copy));
        } catch (IllegalArgumentException refused) {
          continue;
        }
        try {
          TableReport.render(r);
          CsvReport.render(r);
          HtmlReport.render(r);
          Recommender.render(Recommender.recommend(r));
        } catch (RuntimeException e) {
          broken.add(what + ": " + e);
        }
      }
    }
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }

  /** Every field and array element below {@code node}, as a slash-separated path. */
  private static List<String> paths(JsonNode node, String at) {
    List<String> all = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames()
          .forEachRemaining(
              f -> {
                all.add(at + "/" + f);
                all.addAll(paths(node.get(f), at + "/" + f));
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        all.add(at + "/" + i);
        all.addAll(paths(node.get(i), at + "/" + i));
      }
    }
    return all;
  }

  private static void cut(JsonNode root, String path, boolean remove) {
    int slash = path.lastIndexOf('/');
    JsonNode parent = root.at(path.substring(0, slash));
    String last = path.substring(slash + 1);
    if (parent instanceof ObjectNode o) {
      if (remove) o.remove(last);
      else o.set(last, NullNode.instance);
    } else if (parent instanceof ArrayNode a) {
      if (remove) a.remove(Integer.parseInt(last));
      else a.set(Integer.parseInt(last), NullNode.instance);
    }
  }
}
