package io.promptway.runtime.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * USD per billable unit, from the dated table shipped as {@code prices.yaml}, optionally overridden
 * by config. A configured LLM model without a price is an error at start-up, not a silent zero; a
 * model only an upstream provider knows (pass-through callers name any model) is billed $0, with
 * one warning per model that says how to price it.
 */
public final class PriceTable {
  private static final Logger LOG = Logger.getLogger(PriceTable.class.getName());
  private static final String RESOURCE = "/io/promptway/runtime/prices.yaml";

  private final String asOf;
  private final Map<BillableUnit, Double> perUnit;
  private final Map<String, double[]> perToken; // model -> {input, output} USD per token
  private final ObjectNode document;
  private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();

  private PriceTable(
      String asOf,
      Map<BillableUnit, Double> perUnit,
      Map<String, double[]> perToken,
      ObjectNode document) {
    this.asOf = asOf;
    this.perUnit = perUnit;
    this.perToken = perToken;
    this.document = document;
  }

  public static PriceTable shipped() {
    return load(Map.of());
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * The shipped table, read once per process: the configuration checks the overrides with one load
   * and the runtime reads them with another.
   */
  private static final class Shipped {
    static final ObjectNode TREE;
    static final IOException PROBLEM; // kept for every load, not thrown from the initialiser

    static {
      ObjectNode tree = null;
      IOException problem = null;
      try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
        tree = (ObjectNode) YAML.readTree(in);
      } catch (IOException e) {
        problem = e;
      }
      TREE = tree;
      PROBLEM = problem;
    }
  }

  /** The shipped table with {@code overrides} (same shape as prices.yaml) deep-merged over it. */
  public static PriceTable load(Map<String, Object> overrides) {
    if (Shipped.TREE == null)
      throw new IllegalStateException("cannot read " + RESOURCE, Shipped.PROBLEM);
    ObjectNode root = Shipped.TREE.deepCopy();
    if (overrides != null && !overrides.isEmpty())
      merge(root, normalised((ObjectNode) YAML.valueToTree(overrides)));
    Map<BillableUnit, Double> units = new EnumMap<>(BillableUnit.class);
    for (BillableUnit unit : BillableUnit.values()) {
      if (unit.perModel()) continue;
      JsonNode entry = root.path("units").path(unit.priceKey());
      if (!entry.path("usd").isNumber()
          || !entry.path("per").isNumber()
          || entry.path("per").asDouble() <= 0) {
        throw new BadOverride(
            List.of("units", unit.priceKey()),
            "prices: units." + unit.priceKey() + " needs numeric usd and per");
      }
      units.put(unit, entry.get("usd").asDouble() / entry.get("per").asDouble());
    }
    Map<String, double[]> tokens = new HashMap<>();
    root.path("llm")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode in = e.getValue().path("input");
              JsonNode out = e.getValue().path("output");
              if (!in.isNumber() || !out.isNumber()) {
                throw new BadOverride(
                    List.of("llm", e.getKey()),
                    "prices: llm."
                        + e.getKey()
                        + " needs numeric input and output (USD per 1M tokens)");
              }
              tokens.put(e.getKey(), new double[] {in.asDouble() / 1e6, out.asDouble() / 1e6});
            });
    return new PriceTable(root.path("as_of").asText("unknown"), units, tokens, root);
  }

  public String asOf() {
    return asOf;
  }

  /**
   * The table in effect, in the shape of prices.yaml (as_of, region, currency, units with their
   * sources, llm prices per 1M tokens), config overrides merged in; a copy.
   */
  public ObjectNode document() {
    return document.deepCopy();
  }

  public boolean knowsModel(String model) {
    return perToken.containsKey(model);
  }

  /** USD for one unit; for token units the model must be given. */
  public double usdPerUnit(BillableUnit unit, String model) {
    if (unit.perModel()) {
      double[] p = perToken.get(model);
      if (p == null) throw new IllegalArgumentException("no token price for model '" + model + "'");
      return unit == BillableUnit.LLM_INPUT_TOKEN ? p[0] : p[1];
    }
    return perUnit.get(unit);
  }

  /** USD for {@code quantity} units; tokens of a model without a price are $0, with a warning. */
  public double price(BillableUnit unit, String model, double quantity) {
    if (unit.perModel() && !perToken.containsKey(model)) {
      if (unpricedWarned.add(String.valueOf(model))) {
        LOG.warning(
            "model '"
                + model
                + "' has no price: its tokens are metered at $0; price it under prices.llm."
                + model
                + " (input and output, USD per 1M tokens) in the config");
      }
      return 0;
    }
    return usdPerUnit(unit, model) * quantity;
  }

  private static final Set<String> UNIT_KEYS = unitKeys();

  private static Set<String> unitKeys() {
    Set<String> keys = new TreeSet<>();
    for (BillableUnit unit : BillableUnit.values()) if (!unit.perModel()) keys.add(unit.priceKey());
    return keys;
  }

  private static final Set<String> TOP_LEVEL =
      Set.of("as_of", "region", "currency", "units", "llm");

  /**
   * Overrides in the shape of prices.yaml, checked: a unit's price may also be given as a bare
   * number at the top ({@code function.gb_second: 0.0000133334}, USD per one unit); any other key
   * is refused, so a typo never leaves the shipped price silently in place.
   */
  private static ObjectNode normalised(ObjectNode overrides) {
    ObjectNode out = overrides.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = overrides.fields();
    while (it.hasNext()) {
      var e = it.next();
      String key = e.getKey();
      if (UNIT_KEYS.contains(key) && e.getValue().isNumber()) {
        out.withObjectProperty("units")
            .putObject(key)
            .put("usd", e.getValue().asDouble())
            .put("per", 1);
      } else if (TOP_LEVEL.contains(key)) {
        if (key.equals("units") && e.getValue().isObject()) {
          for (Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!UNIT_KEYS.contains(name))
              throw new BadOverride(
                  List.of("units", name),
                  "prices: unknown unit 'units." + name + "' (known: " + UNIT_KEYS + ")");
          }
        }
        JsonNode existing = out.get(key);
        if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
        else out.set(key, e.getValue());
      } else {
        throw new BadOverride(
            List.of(key),
            "prices: unknown key '"
                + key
                + "' (known: "
                + new TreeSet<>(TOP_LEVEL)
                + ", or a unit's USD price as a number: "
                + UNIT_KEYS
                + ")");
      }
    }
    return out;
  }

  /**
   * An override the table refuses; {@code key} is where it is under {@code prices:}, key by key (a
   * unit's name has dots in it), so the configuration can say on which line.
   */
  public static final class BadOverride extends IllegalArgumentException {
    private final List<String> key;

    BadOverride(List<String> key, String message) {
      super(message);
      this.key = List.copyOf(key);
    }

    public List<String> key() {
      return key;
    }
  }

  private static void merge(ObjectNode target, JsonNode source) {
    Iterator<Map.Entry<String, JsonNode>> it = source.fields();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
      else target.set(e.getKey(), e.getValue());
    }
  }
}
