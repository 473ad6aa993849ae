package io.promptway.runtime.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of the whole runtime API, shipped as a YAML
 * resource and served as JSON (or as YAML with {@code ?format=yaml} or {@code Accept:
 * application/yaml}).
 */
public final class OpenApiService implements HttpService {
  public static final String RESOURCE = "/io/promptway/runtime/gateway/openapi.yaml";

  private final byte[] yaml;
  private volatile byte[] json; // rendered on the first request for it: not on the start-up path

  public OpenApiService() {
    this.yaml = read();
  }

  private byte[] json() {
    byte[] rendered = json;
    if (rendered == null) {
      try {
        rendered =
            new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(yaml));
      } catch (IOException e) {
        throw new IllegalStateException("the shipped OpenAPI document is not valid YAML", e);
      }
      json = rendered;
    }
    return rendered;
  }

  /** The document as a JSON tree (for tests and tools). */
  public static JsonNode document() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(read());
    } catch (IOException e) {
      throw new IllegalStateException("the shipped OpenAPI document is not valid YAML", e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/openapi", this::serve);
  }

  private void serve(ServerRequest req, ServerResponse res) {
    String format = req.query().first("format").orElse("");
    String accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
    boolean asYaml = format.equals("yaml") || (format.isEmpty() && accept.contains("yaml"));
    res.header(
        HeaderNames.CONTENT_TYPE, asYaml ? "application/yaml; charset=utf-8" : "application/json");
    res.send(asYaml ? yaml : json());
  }

  private static byte[] read() {
    try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }
}
