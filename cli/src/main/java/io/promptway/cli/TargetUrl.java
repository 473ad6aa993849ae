package io.promptway.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code --target} of run, recommend and chat: a runtime already running at an http(s) URL.
 * Refused when parsed unless it is one, and reached before any work is sent to it.
 */
public final class TargetUrl implements CommandLine.ITypeConverter<URI> {
  @Override
  public URI convert(String value) {
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // refused below, as any other value that is not a URL
    }
    throw new CommandLine.TypeConversionException(
        "'" + value + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:8080");
  }

  /**
   * Asks {@code target} for {@code GET /health}; any answer will do (a real deployment may have no
   * health route). A target that cannot be reached is refused naming it, why, and {@code remedy}.
   */
  public static HttpResponse<String> reach(HttpClient http, URI target, String remedy) {
    try {
      return http.send(
          HttpRequest.newBuilder(target.resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--target " + target + ": cannot reach it (" + unreachable(e) + "); " + remedy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + target, e);
    }
  }

  private static String unreachable(IOException e) {
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException)
      return "no answer within 5 s";
    Throwable cause = e;
    boolean refused = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException)
        return "unknown host";
      refused |= t instanceof ConnectException;
      cause = t;
    }
    if (refused) return "connection refused";
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
