package io.promptway.runtime.gateway;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Errors;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The answer to a request that no route took, registered after every route: 405 with an {@code
 * Allow} header when the path is served under other methods (204 with it for {@code OPTIONS}; a
 * CORS preflight is answered earlier, by the gateway), otherwise 404 naming the method and path (as
 * it is for a WebSocket route asked without the upgrade). Routes come in the form the runtime lists
 * them: {@code "GET /requests/{id}"}, possibly followed by a note ({@code "(WebSocket)"}).
 */
public final class UnmatchedRoute implements Handler {
  private record Route(String method, Pattern path) {}

  private final List<Route> routes;

  public UnmatchedRoute(List<String> routes) {
    this.routes = routes.stream().map(UnmatchedRoute::parse).toList();
  }

  private static Route parse(String route) {
    String[] parts = route.strip().split("\\s+"); // anything after the path is a note
    if (parts.length < 2 || !parts[1].startsWith("/"))
      throw new IllegalArgumentException("a route is 'METHOD /path', got '" + route + "'");
    String regex =
        Arrays.stream(parts[1].split("/", -1))
            .map(s -> s.startsWith("{") && s.endsWith("}") ? "[^/]+" : Pattern.quote(s))
            .collect(Collectors.joining("/"));
    return new Route(parts[0], Pattern.compile(regex));
  }

  /**
   * The {@code Allow} header for a path served with {@code methods}: those and {@code OPTIONS},
   * which every known path answers, the same on a 405 as on an {@code OPTIONS} request.
   */
  static String allowHeader(Set<String> methods) {
    return String.join(", ", methods) + (methods.contains("OPTIONS") ? "" : ", OPTIONS");
  }

  /** The methods {@code path} is served with, in route order; empty when no route has it. */
  public Set<String> allowed(String path) {
    Set<String> methods = new LinkedHashSet<>();
    for (Route r : routes) if (r.path().matcher(path).matches()) methods.add(r.method());
    return methods;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    Set<String> allowed = allowed(path);
    // a route with this very method that still did not match is another protocol's (WebSocket)
    if (allowed.isEmpty() || allowed.contains(method))
      throw Errors.notFound("route " + method + " " + path);
    String methods = String.join(", ", allowed);
    if (method.equals("OPTIONS")) {
      res.status(Status.NO_CONTENT_204).header("Allow", allowHeader(allowed)).send();
      return;
    }
    throw new ApiException(
        405,
        "METHOD_NOT_ALLOWED",
        path + " answers " + methods + ", not " + method,
        Map.of("allowed", List.copyOf(allowed)),
        Map.of("Allow", allowHeader(allowed)),
        null);
  }
}
