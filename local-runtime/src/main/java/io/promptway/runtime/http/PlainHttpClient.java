package io.promptway.runtime.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A blocking HTTP/1.1 client for plain-HTTP POSTs with small bodies, over kept-alive sockets: what
 * a function's call to the model provider needs, and no more (no TLS, proxies, redirects or
 * cookies). A request leaves in one socket write; a response is framed by its {@code
 * Content-Length}, by chunks, or by the server closing the connection. On the sync path the
 * general-purpose client spent about as much CPU on its request pipeline (services, redirect
 * handling, header objects) as on the socket work itself (benchmarks/RESULTS.md, session 19).
 *
 * <p>Reads have no socket timeout, as a timed read parks the virtual thread with a JDK timer armed
 * per read: the caller bounds the call (a function's maximum duration interrupts it, which closes
 * the socket). A connection idle longer than {@code maxIdleNanos} is closed rather than reused; a
 * reused one that the server had closed is retried once on a new connection when nothing of the
 * response arrived.
 */
public final class PlainHttpClient implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int BUFFER_BYTES = 8 * 1024;

  private final int connectTimeoutMillis;
  private final IdleConnections<Connection> idle;
  private volatile boolean closed;

  /** A response header, its name in lower case. */
  public record Header(String name, String value) {}

  /** A whole response. */
  public record Response(int status, List<Header> headers, byte[] body) {
    /** The first value of the header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
      return null;
    }
  }

  /**
   * @param nanoTime the clock that ages idle connections (real time)
   */
  public PlainHttpClient(
      int connectTimeoutMillis, int maxIdlePerHost, long maxIdleNanos, LongSupplier nanoTime) {
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.idle =
        new IdleConnections<>(maxIdlePerHost, maxIdleNanos, nanoTime, c -> true, Connection::close);
  }

  /**
   * POSTs {@code body} to {@code uri} with {@code headers} (name, value, name, value, ...) besides
   * Host and Content-Length, and reads the whole response.
   *
   * @throws IOException when the request cannot be sent or the response is cut short or malformed
   */
  public Response post(URI uri, byte[] body, String... headers) throws IOException {
    if (!"http".equals(uri.getScheme())) {
      throw new IOException("only plain http:// is supported, not " + uri.getScheme());
    }
    String key = uri.getHost() + ":" + port(uri);
    byte[] request = request(uri, body, headers);
    Connection reused = idle.take(key);
    if (reused != null) {
      try {
        return exchange(key, reused, request);
      } catch (StaleConnection e) {
        // the server closed it while idle: nothing was answered, so sending again is safe
      }
    }
    Connection fresh = connect(uri);
    try {
      return exchange(key, fresh, request);
    } catch (StaleConnection e) {
      throw new EOFException("the server closed the connection without answering");
    }
  }

  /** Idle connections held, over all hosts. */
  public int idleCount() {
    return idle.size();
  }

  private Response exchange(String key, Connection c, byte[] request) throws IOException {
    boolean keep = false;
    try {
      try {
        c.out.write(request);
      } catch (IOException e) {
        if (c.reused && !Thread.currentThread().isInterrupted()) throw new StaleConnection();
        throw e;
      }
      Response response = c.readResponse();
      keep = c.keepAlive;
      return response;
    } finally {
      if (keep) release(key, c);
      else c.close();
    }
  }

  private static byte[] request(URI uri, byte[] body, String[] headers) {
    if (headers.length % 2 != 0) throw new IllegalArgumentException("headers come in pairs");
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    StringBuilder head = new StringBuilder(160 + 32 * headers.length);
    head.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
    if (uri.getPort() != -1) head.append(':').append(uri.getPort());
    head.append("\r\nContent-Length: ").append(body.length).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(oneLine(headers[i])).append(": ").append(oneLine(headers[i + 1])).append("\r\n");
    }
    head.append("\r\n");
    // the head straight into the request's one array, in ISO-8859-1 as HTTP/1.1 has it
    int n = head.length();
    byte[] all = new byte[n + body.length];
    for (int i = 0; i < n; i++) {
      char c = head.charAt(i);
      all[i] = (byte) (c <= 0xFF ? c : '?');
    }
    System.arraycopy(body, 0, all, n, body.length);
    return all;
  }

  /** {@code text}, refused if a line break in it would end its header and start another. */
  private static String oneLine(String text) {
    if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a header holds a line break: " + text.strip());
    }
    return text;
  }

  private Connection connect(URI uri) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), connectTimeoutMillis);
      return new Connection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private void release(String key, Connection c) {
    c.reused = true;
    if (closed || !idle.keep(key, c)) c.close();
    else if (closed) close(); // raced with close(): drop what was just kept
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : 80;
  }

  @Override
  public void close() {
    closed = true;
    idle.closeAll();
  }

  /** A kept-alive connection that turned out closed before any of the response came. */
  private static final class StaleConnection extends IOException {
    StaleConnection() {
      super("a kept-alive connection was closed by the server");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a signal between two methods of this class, never shown
    }
  }

  /** One socket and its read buffer; used by one exchange at a time. */
  private static final class Connection {
    final Socket socket;
    final OutputStream out;
    final InputStream in;
    final byte[] buf = new byte[BUFFER_BYTES];
    int pos;
    int limit;
    boolean reused;
    boolean keepAlive;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.in = socket.getInputStream();
    }

    Response readResponse() throws IOException {
      boolean first = true;
      while (true) {
        if (first && !firstFill()) {
          if (reused) throw new StaleConnection();
          throw new EOFException("the server closed the connection without answering");
        }
        first = false;
        String statusLine = line();
        int status = status(statusLine);
        List<Header> headers = new ArrayList<>(8);
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        int headBytes = statusLine.length();
        for (String line; !(line = line()).isEmpty(); ) {
          headBytes += line.length() + 2;
          if (headBytes > MAX_HEAD_BYTES) throw new IOException("response headers too large");
          int colon = line.indexOf(':');
          if (colon <= 0) throw new IOException("malformed response header: " + line);
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          headers.add(new Header(name, value));
          switch (name) {
            case "content-length" -> length = contentLength(value);
            case "transfer-encoding" ->
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "connection" -> {
              String v = value.toLowerCase(Locale.ROOT);
              if (v.contains("close")) close = true;
              else if (v.contains("keep-alive")) close = false;
            }
            default -> {}
          }
        }
        if (status >= 100 && status < 200) continue; // an interim answer: the real one follows
        byte[] body;
        if (status == 204 || status == 304) body = new byte[0];
        else if (chunked) body = chunkedBody();
        else if (length >= 0) body = fixedBody(length);
        else {
          body = untilClosed();
          close = true;
        }
        keepAlive = !close;
        return new Response(status, Collections.unmodifiableList(headers), body);
      }
    }

    private static int status(String line) throws IOException {
      // HTTP/1.1 200 OK
      if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
        throw new IOException("malformed status line: " + line);
      }
      try {
        return Integer.parseInt(line.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("malformed status line: " + line);
      }
    }

    private static long contentLength(String value) throws IOException {
      try {
        long n = Long.parseLong(value);
        if (n < 0 || n > Integer.MAX_VALUE - 8) throw new NumberFormatException();
        return n;
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + value);
      }
    }

    private byte[] fixedBody(long length) throws IOException {
      byte[] body = new byte[(int) length];
      int have = Math.min(limit - pos, body.length);
      System.arraycopy(buf, pos, body, 0, have);
      pos += have;
      while (have < body.length) {
        int n = in.read(body, have, body.length - have);
        if (n < 0) throw new EOFException("the response body ended early");
        have += n;
      }
      return body;
    }

    private byte[] chunkedBody() throws IOException {
      var out = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line();
        int semi = sizeLine.indexOf(';');
        long size;
        try {
          size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + sizeLine);
        }
        if (size < 0 || out.size() + size > Integer.MAX_VALUE - 8) {
          throw new IOException("bad chunk size: " + sizeLine);
        }
        if (size == 0) {
          while (!line().isEmpty()) {} // trailers
          return out.toByteArray();
        }
        out.write(fixedBody(size));
        if (!line().isEmpty()) throw new IOException("a chunk does not end with CRLF");
      }
    }

    private byte[] untilClosed() throws IOException {
      var out = new ByteArrayOutputStream();
      out.write(buf, pos, limit - pos);
      pos = limit;
      in.transferTo(out);
      return out.toByteArray();
    }

    /** The next line without its CRLF (or LF), in ISO-8859-1. */
    private String line() throws IOException {
      StringBuilder sb = null;
      while (true) {
        for (int i = pos; i < limit; i++) {
          if (buf[i] != '\n') continue;
          int from = pos;
          pos = i + 1;
          if (sb == null) {
            int end = i > from && buf[i - 1] == '\r' ? i - 1 : i;
            return new String(buf, from, end - from, StandardCharsets.ISO_8859_1);
          }
          sb.append(new String(buf, from, i - from, StandardCharsets.ISO_8859_1));
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        if (sb == null) sb = new StringBuilder();
        sb.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
        if (sb.length() > MAX_HEAD_BYTES) throw new IOException("response line too long");
        pos = limit;
        if (!fill()) throw new EOFException("the response ended early");
      }
    }

    /** As {@link #fill}; a kept-alive connection that breaks before answering is stale. */
    private boolean firstFill() throws IOException {
      try {
        return fill();
      } catch (IOException e) {
        if (reused && !Thread.currentThread().isInterrupted()) throw new StaleConnection();
        throw e;
      }
    }

    /** Reads more into the buffer once it is used up; false at the end of the stream. */
    private boolean fill() throws IOException {
      if (pos < limit) return true;
      int n = in.read(buf, 0, buf.length);
      if (n < 0) return false;
      pos = 0;
      limit = n;
      return true;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is best effort
      }
    }
  }
}
