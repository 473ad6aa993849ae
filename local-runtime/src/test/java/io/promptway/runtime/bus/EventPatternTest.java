package io.promptway.runtime.bus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.http.Json;
import org.junit.jupiter.api.Test;

class EventPatternTest {
  private static JsonNode json(String s) throws Exception {
    return Json.mapper().readTree(s.replace('\'', '"'));
  }

  private static boolean matches(String pattern, String event) throws Exception {
    return EventPattern.compile(json(pattern)).matches(json(event));
  }

  private static final String EVENT =
      "{'type':'io.promptway.request.created','source':'/events/requests',"
          + "'data':{'priority':7,'user_tier':'premium','model':'gpt-4o-mini','tags':['a','b']}}";

  @Test
  void matchesNumericComparisonsOnDataFields() throws Exception {
    assertTrue(matches("{'data':{'priority':[{'numeric':['>',5]}]}}", EVENT));
    assertFalse(matches("{'data':{'priority':[{'numeric':['<=',5]}]}}", EVENT));
    assertTrue(matches("{'data':{'priority':[{'numeric':['>=',7,'<',8]}]}}", EVENT));
    assertFalse(
        matches("{'data':{'priority':[{'numeric':['>',5]}]}}", EVENT.replace("7", "'7'")),
        "a string is not a number");
  }

  @Test
  void matchesExactValuesAsAnyOfAList() throws Exception {
    assertTrue(matches("{'type':['io.promptway.request.created']}", EVENT));
    assertTrue(matches("{'data':{'user_tier':['free','premium']}}", EVENT));
    assertFalse(matches("{'data':{'user_tier':['free','standard']}}", EVENT));
    assertTrue(matches("{'data':{'priority':[7.0]}}", EVENT), "numbers compare by value");
    assertTrue(matches("{'data':{'tags':['b']}}", EVENT), "an array field matches on any element");
  }

  @Test
  void requiresEveryFieldToMatch() throws Exception {
    assertFalse(
        matches("{'type':['io.promptway.request.created'],'data':{'user_tier':['free']}}", EVENT));
    assertFalse(matches("{'data':{'missing':['x']}}", EVENT));
  }

  @Test
  void matchesPrefixSuffixAnythingButAndExists() throws Exception {
    assertTrue(matches("{'type':[{'prefix':'io.promptway.'}]}", EVENT));
    assertFalse(matches("{'type':[{'prefix':'com.other.'}]}", EVENT));
    assertTrue(matches("{'data':{'model':[{'suffix':'-mini'}]}}", EVENT));
    assertTrue(matches("{'data':{'user_tier':[{'anything-but':['free','standard']}]}}", EVENT));
    assertFalse(matches("{'data':{'user_tier':[{'anything-but':'premium'}]}}", EVENT));
    assertFalse(matches("{'data':{'model':[{'anything-but':{'prefix':'gpt-'}}]}}", EVENT));
    assertFalse(
        matches("{'data':{'missing':[{'anything-but':'x'}]}}", EVENT),
        "anything-but needs the field");
    assertTrue(matches("{'data':{'missing':[{'exists':false}],'model':[{'exists':true}]}}", EVENT));
    assertTrue(matches("{'source':[{'equals-ignore-case':'/EVENTS/requests'}]}", EVENT));
  }

  @Test
  void rejectsMalformedPatternsNamingThePath() throws Exception {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> EventPattern.compile(json("{'data':{'p':5}}")));
    assertTrue(e.getMessage().contains("pattern.data.p"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> EventPattern.compile(json("{'d':[{'numeric':['>>',5]}]}")));
    assertThrows(
        IllegalArgumentException.class, () -> EventPattern.compile(json("{'d':[{'regex':'x'}]}")));
    assertThrows(IllegalArgumentException.class, () -> EventPattern.compile(json("{'d':[]}")));
  }
}
