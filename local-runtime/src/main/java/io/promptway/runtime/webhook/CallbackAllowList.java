package io.promptway.runtime.webhook;

import io.promptway.runtime.http.Errors;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where callbacks may go, so a client cannot make the runtime call into places it should not reach
 * (SSRF). Entries are host names (matched exactly, case-insensitively) or IP networks in CIDR form
 * ({@code 127.0.0.0/8}, {@code ::1}). IP-literal hosts are matched against the networks; other
 * names must be listed: names are never resolved, so DNS cannot smuggle an address past the list.
 */
public final class CallbackAllowList {
  private final List<String> names = new ArrayList<>();
  private final List<Network> networks = new ArrayList<>();
  private final List<String> entries;

  public CallbackAllowList(List<String> entries) {
    this.entries = List.copyOf(entries);
    for (String e : entries) {
      String entry = e.trim().toLowerCase(Locale.ROOT);
      if (!looksLikeAddress(entry)) {
        names.add(entry);
        continue;
      }
      String problem = entryProblem(e);
      if (problem != null) throw new IllegalArgumentException("webhook.allow_hosts: " + problem);
      networks.add(Network.parse(entry));
    }
  }

  /** What is wrong with an allow-list entry, or null; the config checks its entries with this. */
  public static String entryProblem(String e) {
    String entry = e.trim().toLowerCase(Locale.ROOT);
    if (!looksLikeAddress(entry)) return null;
    try {
      Network.parse(entry);
      return null;
    } catch (IllegalArgumentException bad) {
      return "'"
          + e
          + "' is neither a host name nor an IP address or network such as 10.0.0.0/8 ("
          + bad.getMessage()
          + ")";
    }
  }

  public static CallbackAllowList loopback() {
    return new CallbackAllowList(List.of("127.0.0.0/8", "::1", "localhost"));
  }

  public List<String> entries() {
    return entries;
  }

  /** Throws a 400 naming {@code field} unless {@code url} is an http(s) URL to an allowed host. */
  public void check(String field, String url) {
    String problem = problem(url);
    if (problem != null) throw Errors.validation(field, problem);
  }

  public boolean allows(String url) {
    return problem(url) == null;
  }

  private String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a valid URL: " + e.getReason();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String port = badPort(uri);
    if (port != null) return "port must be within 1..65535, got " + port;
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return "must be an absolute http(s) URL";
    }
    if (uri.getUserInfo() != null) return "must not carry credentials";
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (names.contains(host)) return null;
    if (looksLikeAddress(host)) {
      byte[] address;
      try {
        address = Network.bytes(host);
      } catch (IllegalArgumentException e) {
        return "host '" + uri.getHost() + "' is not a valid IP address";
      }
      for (Network n : networks) if (n.contains(address)) return null;
    }
    return "host '"
        + uri.getHost()
        + "' is not in the callback allow-list "
        + entries
        + " (webhook.allow_hosts)";
  }

  /** The URL's port if it is out of range, else null (none given is the scheme's default). */
  private static String badPort(URI uri) {
    if (uri.getHost() != null) {
      int port = uri.getPort();
      return port == 0 || port > 65535 ? Integer.toString(port) : null;
    }
    // a port too large for an int is no port to URI: it reads the authority as a registry name
    String authority = uri.getAuthority();
    if (authority == null || !authority.matches("[^@]*:\\d+")) return null;
    return authority.substring(authority.lastIndexOf(':') + 1);
  }

  private static boolean looksLikeAddress(String s) {
    return s.contains(":") || s.matches("[0-9./]+");
  }

  private record Network(byte[] prefix, int bits) {
    static Network parse(String cidr) {
      int slash = cidr.indexOf('/');
      byte[] address = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
      int bits;
      try {
        bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the prefix length is not a number");
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("bad prefix length /" + bits);
      }
      return new Network(address, bits);
    }

    /** Parses an IP literal without any name lookup. */
    static byte[] bytes(String literal) {
      if (!literal.contains(":") && !isIpv4(literal)) {
        throw new IllegalArgumentException("not an IP address: " + literal);
      }
      try {
        return InetAddress.getByName(literal).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + literal, e);
      }
    }

    /** Four numbers 0-255: what InetAddress reads as a literal rather than a name to look up. */
    private static boolean isIpv4(String literal) {
      if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return false;
      for (String octet : literal.split("\\.")) if (Integer.parseInt(octet) > 255) return false;
      return true;
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) return false;
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) return false;
      }
      return true;
    }
  }
}
