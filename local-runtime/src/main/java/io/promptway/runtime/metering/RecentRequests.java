package io.promptway.runtime.metering;

import io.promptway.runtime.db.RequestIds;
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
 * deletion moving them read no id (at 200,000 requests the ids are rarely in the CPU's cache). Ids
 * in the runtime's own format are held as numbers, not Strings (see {@link #claim}). Not
 * thread-safe: owners hold their own lock around a look-up and their use of the slot.
 */
public final class RecentRequests {
  private static final int FIRST_CAPACITY = 1024;
  private static final byte EMPTY = 0;
  private static final byte HALVES = 1; // a UUID's two halves
  private static final byte TEXT = 2;
  private static final byte REQUEST_ID = 3; // a request id's time and random digits, 50 bits each

  private final int limit;
  // Per slot. Ids in the runtime's own formats are kept as their bits, not as the String: request
  // ids ("req_" and 20 base-32 digits, see RequestIds) and lowercase canonical UUIDs
  // (queue messages and events, see SortableIds). A String per request, held for the 200,000
  // requests a meter remembers, was most of what every young collection copied.
  private byte[] kinds;
  private long[] high;
  private long[] low;
  private String[] others; // an id in any other format
  private int[] slotHashes;
  private int[] table; // slot + 1, or 0 where empty
  private int[] hashes; // the id's hash code beside each table entry: probes skip other ids unread
  private int shift;
  private long claimed;
  private int size;
  // the id last parsed, for the look-up that parsed it (owners hold a lock around every call)
  private byte probeKind;
  private long probeHigh;
  private long probeLow;

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
    return kinds.length;
  }

  public int size() {
    return size;
  }

  /** The slot holding {@code requestId}, or -1. */
  public int find(String requestId) {
    return find(requestId, parse(requestId));
  }

  private int find(String requestId, int hash) {
    for (int i = home(hash); ; i = next(i)) {
      int s = table[i];
      if (s == 0) return -1;
      if (hashes[i] == hash && holds(s - 1, requestId)) return s - 1;
    }
  }

  private boolean holds(int slot, String requestId) {
    if (kinds[slot] != probeKind) return false;
    return probeKind == TEXT
        ? others[slot].equals(requestId)
        : high[slot] == probeHigh && low[slot] == probeLow;
  }

  /**
   * The slot holding {@code requestId}; when it holds none, the request becomes the most recent and
   * takes the earliest one's slot, and the answer is {@code -(slot + 1)}, telling the owner to
   * reset what it kept there.
   */
  public int claim(String requestId) {
    int hash = parse(requestId);
    int held = find(requestId, hash);
    if (held >= 0) return held;
    if (claimed == kinds.length && kinds.length < limit) {
      resize((int) Math.min(limit, 2L * kinds.length));
    }
    int slot = (int) (claimed++ % limit);
    if (kinds[slot] != EMPTY) forget(slot);
    int i = home(hash);
    while (table[i] != 0) i = next(i);
    table[i] = slot + 1;
    hashes[i] = hash;
    kinds[slot] = probeKind;
    slotHashes[slot] = hash;
    if (probeKind == TEXT) {
      others[slot] = requestId;
    } else {
      high[slot] = probeHigh;
      low[slot] = probeLow;
    }
    size++;
    return -(slot + 1);
  }

  /** Forgets the request in {@code slot}; its slot stays empty until it is the next claimed. */
  public void forget(int slot) {
    if (kinds[slot] == EMPTY) return;
    int i = home(slotHashes[slot]);
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
    kinds[slot] = EMPTY;
    others[slot] = null;
    size--;
  }

  /** Forgets every held request whose slot {@code stale} picks; returns how many. */
  public int forgetIf(IntPredicate stale) {
    int forgotten = 0;
    for (int slot = 0; slot < kinds.length; slot++) {
      if (kinds[slot] != EMPTY && stale.test(slot)) {
        forget(slot);
        forgotten++;
      }
    }
    return forgotten;
  }

  /**
   * Sets the probe fields for {@code id} and returns its hash: a request id becomes its two runs of
   * digits, a lowercase canonical UUID (8-4-4-4-12 hex digits) its two halves, and anything else
   * stays a String.
   */
  private int parse(String id) {
    digitsRead = 0;
    byte kind = TEXT;
    long h = 0;
    long l = 0;
    if (id.length() == RequestIds.LENGTH && id.startsWith(RequestIds.PREFIX)) {
      kind = REQUEST_ID;
      h = digits(id, 4, 14, BASE32_DIGITS, 5);
      l = digits(id, 14, 24, BASE32_DIGITS, 5);
    } else if (id.length() == 36
        && id.charAt(8) == '-'
        && id.charAt(13) == '-'
        && id.charAt(18) == '-'
        && id.charAt(23) == '-') {
      kind = HALVES;
      h =
          digits(id, 0, 8, HEX_DIGITS, 4) << 32
              | digits(id, 9, 13, HEX_DIGITS, 4) << 16
              | digits(id, 14, 18, HEX_DIGITS, 4);
      l = digits(id, 19, 23, HEX_DIGITS, 4) << 48 | digits(id, 24, 36, HEX_DIGITS, 4);
    }
    if (kind != TEXT && digitsRead >= 0) {
      probeKind = kind;
      probeHigh = h;
      probeLow = l;
      return Long.hashCode(h * 31 + l);
    }
    probeKind = TEXT;
    return id.hashCode();
  }

  // every digit `digits` read since `parse` began, or-ed: a character that is not a digit reads as
  // -1 and leaves it negative, so one test at the end covers them all
  private int digitsRead;

  /** The characters of {@code id} from {@code from} to {@code to}, as digits of {@code bits}. */
  private long digits(String id, int from, int to, byte[] values, int bits) {
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = id.charAt(i);
      int digit = c < 128 ? values[c] : -1;
      digitsRead |= digit;
      value = value << bits | digit & ((1 << bits) - 1);
    }
    return value;
  }

  private static final byte[] HEX_DIGITS = digitValues("0123456789abcdef");
  private static final byte[] BASE32_DIGITS = digitValues(RequestIds.ALPHABET);

  /** Each ASCII character's value as a digit of {@code alphabet}, or -1. */
  private static byte[] digitValues(String alphabet) {
    byte[] values = new byte[128];
    Arrays.fill(values, (byte) -1);
    for (int i = 0; i < alphabet.length(); i++) values[alphabet.charAt(i)] = (byte) i;
    return values;
  }

  /** Makes room for {@code capacity} requests, keeping those held (their slots do not change). */
  private void resize(int capacity) {
    boolean first = kinds == null;
    kinds = first ? new byte[capacity] : Arrays.copyOf(kinds, capacity);
    high = first ? new long[capacity] : Arrays.copyOf(high, capacity);
    low = first ? new long[capacity] : Arrays.copyOf(low, capacity);
    others = first ? new String[capacity] : Arrays.copyOf(others, capacity);
    slotHashes = first ? new int[capacity] : Arrays.copyOf(slotHashes, capacity);
    int bits = 64 - Long.numberOfLeadingZeros(2L * capacity - 1);
    table = new int[1 << bits];
    hashes = new int[1 << bits];
    shift = 64 - bits;
    for (int slot = 0; slot < kinds.length; slot++) {
      if (kinds[slot] == EMPTY) continue;
      int hash = slotHashes[slot];
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
