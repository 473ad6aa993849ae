package io.promptway.runtime.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.OpenApiService;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
  private final JsonNode doc = OpenApiService.document();

  @Test
  void isAnOpenApi31DocumentWithInfoAndPaths() {
    assertTrue(doc.path("openapi").asText().startsWith("3.1."));
    assertFalse(doc.path("info").path("title").asText().isEmpty());
    assertFalse(doc.path("info").path("version").asText().isEmpty());
    assertTrue(doc.path("paths").size() >= 15);
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      assertFalse(doc.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
    }
  }

  @Test
  void everyOperationHasAnIdAndResponsesAndPathParametersAreDeclared() {
    List<String> ids = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      var path = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        var op = ops.next();
        assertTrue(
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
                .contains(op.getKey()),
            op.getKey());
        String id = op.getValue().path("operationId").asText();
        assertFalse(id.isEmpty(), path.getKey() + " " + op.getKey() + " has no operationId");
        assertFalse(ids.contains(id), "duplicate operationId " + id);
        ids.add(id);
        assertTrue(op.getValue().path("responses").size() > 0);
        if (path.getKey().contains("{id}")) {
          assertTrue(
              op.getValue().path("parameters").toString().contains("RequestId"), path.getKey());
        }
      }
    }
  }

  @Test
  void documentsTheThrottleHeadersOn429() {
    JsonNode headers = doc.at("/components/responses/TooManyRequests/headers");
    for (String h :
        List.of("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")) {
      assertTrue(headers.has(h), h);
    }
    assertEquals("x-api-key", doc.at("/components/securitySchemes/apiKey/name").asText());
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("$ref")) out.add(e.getValue().asText());
                else collectRefs(e.getValue(), out);
              });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
