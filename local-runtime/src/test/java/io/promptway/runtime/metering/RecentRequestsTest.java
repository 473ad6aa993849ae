package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecentRequestsTest {
  @Test
  void keepsAtMostTheLimitForgettingTheEarliestClaimedFirst() {
    RecentRequests recent = new RecentRequests(3);
    for (String id : List.of("a", "b", "c", "d", "e")) recent.claim(id);

    assertEquals(3, recent.size());
    assertEquals(-1, recent.find("a"));
    assertEquals(-1, recent.find("b"));
    assertTrue(recent.find("c") >= 0);
    assertTrue(recent.find("e") >= 0);
  }

  @Test
  void aNewRequestIsToldToResetItsSlotAndAHeldOneKeepsItsSlotAndPlace() {
    RecentRequests recent = new RecentRequests(2);
    int first = recent.claim("a");
    int again = recent.claim("a");
    recent.claim("b");

    assertTrue(first < 0, "a new request's slot comes back as -(slot + 1)");
    assertEquals(-first - 1, again);
    assertEquals(again, recent.find("a"), "a second claim does not take a second place");
    assertEquals(-(again + 1), recent.claim("c"), "the earliest claimed gives up its slot");
    assertEquals(-1, recent.find("a"));
  }

  @Test
  void growsItsSlotsAsRequestsComeUpToTheLimitKeepingEveryHeldSlot() {
    RecentRequests recent = new RecentRequests(2_500);
    int[] slotOf = new int[3_000];
    for (int i = 0; i < 3_000; i++) {
      int claimed = recent.claim("req_" + i);
      assertTrue(claimed < 0);
      slotOf[i] = -claimed - 1;
      assertTrue(slotOf[i] < recent.capacity(), "a claimed slot is within the capacity");
    }

    assertEquals(2_500, recent.capacity());
    assertEquals(2_500, recent.size());
    for (int i = 0; i < 500; i++) assertEquals(-1, recent.find("req_" + i));
    for (int i = 500; i < 3_000; i++) assertEquals(slotOf[i], recent.find("req_" + i));
    assertEquals(slotOf[0], slotOf[2_500], "the 2,501st takes the first one's slot");
  }

  @Test
  void forgetsTheRequestsAPredicatePicks() {
    RecentRequests recent = new RecentRequests(10);
    int[] value = new int[10];
    for (int i = 0; i < 6; i++) value[-recent.claim("r" + i) - 1] = i;

    assertEquals(3, recent.forgetIf(slot -> value[slot] % 2 == 0));
    assertEquals(3, recent.size());
    assertEquals(-1, recent.find("r2"));
    assertEquals(3, value[recent.find("r3")]);
  }

  // Ids that share a probe path (same hash code) are the case backward-shift deletion must get
  // right: "Aa" and "BB" hash alike, and so does every string built from them.
  @Test
  void findsEveryHeldIdAfterForgettingOthersInTheSameProbePath() {
    RecentRequests recent = new RecentRequests(8);
    List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB");
    for (String id : colliding) recent.claim(id);
    recent.claim("x");

    recent.forget(recent.find("AaBB"));

    assertEquals(-1, recent.find("AaBB"));
    for (String id : List.of("AaAa", "BBAa", "BBBB", "x")) {
      assertTrue(recent.find(id) >= 0, id + " is still found");
    }
  }

  @Test
  void agreesWithASimpleModelOverManyRandomClaimsAndForgets() {
    RecentRequests recent = new RecentRequests(64);
    SplittableRandom random = new SplittableRandom(42);
    // few distinct ids, many sharing hash codes, so probe paths are long and often broken
    Map<String, Integer> slots =
        claimAndForgetAsAModelDoes(
            recent,
            200_000,
            random,
            () -> random.nextBoolean() ? "r" + random.nextInt(300) : collidingId(random));
    for (int i = 0; i < 300; i++) {
      String id = "r" + i;
      assertEquals(slots.getOrDefault(id, -1), recent.find(id), id);
    }
  }

  @Test
  void tellsApartUuidIdsThatDifferInOneDigitAndIdsInOtherFormats() {
    RecentRequests recent = new RecentRequests(16);
    String id = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b";
    String neighbour = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7c";
    String upper = id.toUpperCase(Locale.ROOT);
    String notHex = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7g";
    String notAscii = "0190a5b2-7c3d-7e4\u00e9-8a1b-2c3d4e5f6a7b";
    String noDash = "0190a5b2x7c3d-7e4f-8a1b-2c3d4e5f6a7b";
    List<String> others = List.of(neighbour, upper, notHex, notAscii, noDash);
    assertTrue(recent.claim(id) < 0);
    for (String each : others) {
      assertTrue(recent.claim(each) < 0, each + " is new");
    }

    assertEquals(6, recent.size());
    assertEquals(recent.find(id), recent.find(new String(id.toCharArray())));
    assertEquals(-1, recent.find("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7d"));
    recent.forget(recent.find(id));
    assertEquals(-1, recent.find(id));
    for (String each : others) {
      assertTrue(recent.find(each) >= 0, each + " is still found");
    }
  }

  @Test
  void tellsApartRequestIdsThatDifferInOneDigitAndLookalikes() {
    RecentRequests recent = new RecentRequests(16);
    String id = "req_01m8hbsmkgwhtnkx8cnh";
    List<String> others =
        List.of(
            "req_01m8hbsmkgwhtnkx8cnj", // the last digit
            "req_11m8hbsmkgwhtnkx8cnh", // the first digit
            id.toUpperCase(Locale.ROOT),
            "req_01m8hbsmkgwhtnkx8cni", // not in the alphabet
            "req_01m8hbsmkgwht\u00e9kx8cnh",
            "res_01m8hbsmkgwhtnkx8cnh",
            "req_01m8hbsmkgwhtnkx8cn",
            // the same bits as a UUID and as a request id: two different ids
            "req_00000000000000000000",
            "00000000-0000-0000-0000-000000000000");
    assertTrue(recent.claim(id) < 0);
    for (String each : others) {
      assertTrue(recent.claim(each) < 0, each + " is new");
    }

    assertEquals(1 + others.size(), recent.size());
    assertEquals(recent.find(id), recent.find(new String(id.toCharArray())));
    recent.forget(recent.find(id));
    assertEquals(-1, recent.find(id));
    for (String each : others) {
      assertTrue(recent.find(each) >= 0, each + " is still found");
    }
  }

  // At 200,000 requests a String per id is what young collections copied; an id in the runtime's
  // formats is held as its bits, so the caller's String can be collected while the request is
  // still remembered.
  @ParameterizedTest
  @ValueSource(strings = {"req_01m8hbsmkgwhtnkx8cnh", "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b"})
  void holdsAnIdInTheRuntimesFormatsWithoutKeepingItsString(String format)
      throws InterruptedException {
    RecentRequests recent = new RecentRequests(4);
    String id = new String(format.toCharArray());
    int slot = -recent.claim(id) - 1;
    WeakReference<String> held = new WeakReference<>(id);
    id = null;

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }

    assertNull(held.get(), "the id's String was collected");
    assertEquals(slot, recent.find(format));
  }

  @Test
  void agreesWithASimpleModelOverRequestIdsUuidsAndOtherIdsMixed() {
    RecentRequests recent = new RecentRequests(32);
    SplittableRandom random = new SplittableRandom(7);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(new UUID(random.nextLong(50), random.nextLong(4)).toString());
      ids.add(String.format("req_%010d%010d", random.nextInt(50), random.nextInt(4)));
      ids.add("r" + i);
    }
    Map<String, Integer> slots =
        claimAndForgetAsAModelDoes(
            recent, 50_000, random, () -> ids.get(random.nextInt(ids.size())));
    for (String id : ids) assertEquals(slots.getOrDefault(id, -1), recent.find(id), id);
  }

  private static String collidingId(SplittableRandom random) {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 4; i++) id.append(random.nextBoolean() ? "Aa" : "BB");
    return id.toString();
  }

  /**
   * Claims and now and then forgets ids from {@code nextId}, checking each answer against a map of
   * id to slot; returns the map.
   */
  private static Map<String, Integer> claimAndForgetAsAModelDoes(
      RecentRequests recent, int steps, SplittableRandom random, Supplier<String> nextId) {
    Map<String, Integer> slots = new HashMap<>();
    for (int step = 0; step < steps; step++) {
      String id = nextId.get();
      if (random.nextInt(10) == 0 && slots.containsKey(id)) {
        recent.forget(slots.remove(id));
      } else if (slots.containsKey(id)) {
        assertEquals(slots.get(id), recent.claim(id), id);
      } else {
        int claimed = recent.claim(id);
        assertTrue(claimed < 0, id + " is new");
        int slot = -claimed - 1;
        slots.values().removeIf(s -> s == slot);
        slots.put(id, slot);
      }
      assertEquals(slots.size(), recent.size());
    }
    return slots;
  }
}
