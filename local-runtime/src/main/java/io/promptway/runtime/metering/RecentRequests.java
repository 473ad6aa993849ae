package io.promptway.runtime.metering;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A slot for each of the most recent request ids: at most {@code limit} requests, the earliest
 * claimed forgotten first, its slot handed to the next. Owners keep what they remember of a request
 * in primitive arrays indexed by slot, so remembering a request makes no object of its own (the
 * arrays grow a few times, up to the limit): at thousands of requests a second, objects kept per
 * request for half a minute were copied by every young collection until promoted, and made most of
 * each pause (benchmarks/RESULTS.md, session 11).
 *
 * <p>Ids are found through an open-addressing table of slot numbers (linear probing, kept at most
 * half full), each entry beside its id's hash code, so that a probe passing other ids and a
 * deletion moving them read no id (at 200,000 requests the ids are rarely in the CPU's cache). Not
 * thread-safe: owners hold their own lock around a look-up and their use of the slot.
 */
public final class RecentRequests {
  private static final int FIRST_CAPACITY = 1024;

  private final int limit;
  private String[] ids;
  private int[] table; // slot + 1, or 0 where empty
  private int[] hashes; // the id's hash code beside each table entry: probes skip other ids unread
  private int shift;
  private long claimed;
  private int size;

  public RecentRequests(int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive: " + limit);
    this.limit = limit;
    resize(Math.min(limit, FIRST_CAPACITY));
  }

  public int limit() {
    return limit;
  }

  /**
   * How many slots there are so far: they are added as requests come, up to the limit, so a runtime
   * that serves few requests does not start with the arrays of one that serves thousands a second.
   * Slots are claimed in order, so an owner grows its arrays when a claimed slot is past their end.
   */
  public int capacity() {
    return ids.length;
  }

  public int size() {
    return size;
  }

  /** The slot holding {@code requestId}, or -1. */
  public int find(String requestId) {
    int hash = requestId.hashCode();
    for (int i = home(hash); ; i = next(i)) {
      int s = table[i];
      if (s == 0) return -1;
      if (hashes[i] == hash && ids[s - 1].equals(requestId)) return s - 1;
    }
  }

  /**
   * The slot holding {@code requestId}; when it holds none, the request becomes the most recent and
   * takes the earliest one's slot, and the answer is {@code -(slot + 1)}, telling the owner to
   * reset what it kept there.
   */
  public int claim(String requestId) {
    int held = find(requestId);
    if (held >= 0) return held;
    if (claimed == ids.length && ids.length < limit) resize((int) Math.min(limit, 2L * ids.length));
    int slot = (int) (claimed++ % limit);
    if (ids[slot] != null) forget(slot);
    int hash = requestId.hashCode();
    int i = home(hash);
    while (table[i] != 0) i = next(i);
    table[i] = slot + 1;
    hashes[i] = hash;
    ids[slot] = requestId;
    size++;
    return -(slot + 1);
  }

  /** Forgets the request in {@code slot}; its slot stays empty until it is the next claimed. */
  public void forget(int slot) {
    String id = ids[slot];
    if (id == null) return;
    int i = home(id.hashCode());
    while (table[i] != slot + 1) i = next(i);
    // backward-shift deletion: move up any entry whose probe sequence passes the hole
    for (int j = next(i); table[j] != 0; j = next(j)) {
      int home = home(hashes[j]);
      boolean reachable = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!reachable) {
        table[i] = table[j];
        hashes[i] = hashes[j];
        i = j;
      }
    }
    table[i] = 0;
    ids[slot] = null;
    size--;
  }

  /** Forgets every held request whose slot {@code stale} picks; returns how many. */
  public int forgetIf(IntPredicate stale) {
    int forgotten = 0;
    for (int slot = 0; slot < ids.length; slot++) {
      if (ids[slot] != null && stale.test(slot)) {
        forget(slot);
        forgotten++;
      }
    }
    return forgotten;
  }

  /** Makes room for {@code capacity} requests, keeping those held (their slots do not change). */
  private void resize(int capacity) {
    String[] held = ids;
    ids = held == null ? new String[capacity] : Arrays.copyOf(held, capacity);
    int bits = 64 - Long.numberOfLeadingZeros(2L * capacity - 1);
    table = new int[1 << bits];
    hashes = new int[1 << bits];
    shift = 64 - bits;
    for (int slot = 0; slot < ids.length; slot++) {
      if (ids[slot] == null) continue;
      int hash = ids[slot].hashCode();
      int i = home(hash);
      while (table[i] != 0) i = next(i);
      table[i] = slot + 1;
      hashes[i] = hash;
    }
  }

  private int home(int hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private int next(int i) {
    return (i + 1) & (table.length - 1);
  }
}
