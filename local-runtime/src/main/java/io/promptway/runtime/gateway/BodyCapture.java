package io.promptway.runtime.gateway;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The first {@code limit} bytes of a body as it streams past, for the data-trace log; the stream
 * itself is untouched and the capture never grows past its limit.
 */
final class BodyCapture {
  private final byte[] buffer;
  private int length;
  private long total;

  BodyCapture(int limit) {
    this.buffer = new byte[Math.max(0, limit)];
  }

  synchronized void write(byte[] b, int off, int len) {
    total += len;
    int n = Math.min(len, buffer.length - length);
    if (n > 0) {
      System.arraycopy(b, off, buffer, length, n);
      length += n;
    }
  }

  synchronized byte[] bytes() {
    return buffer;
  }

  synchronized int length() {
    return length;
  }

  synchronized boolean complete() {
    return total == length;
  }

  InputStream tee(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) write(new byte[] {(byte) b}, 0, 1);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) write(b, off, n);
        return n;
      }
    };
  }

  OutputStream tee(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        BodyCapture.this.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        BodyCapture.this.write(b, off, len);
      }
    };
  }
}
