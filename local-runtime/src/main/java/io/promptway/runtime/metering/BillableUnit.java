package io.promptway.runtime.metering;

import java.util.Locale;

/**
 * Every unit the platform bills, with the component it belongs to and the key of its price in the
 * price table. LLM token units are priced per model.
 */
public enum BillableUnit {
  REST_API_REQUEST(Component.GATEWAY, "gateway.rest.request"),
  HTTP_API_REQUEST(Component.GATEWAY, "gateway.http.request"),
  WEBSOCKET_MESSAGE(Component.GATEWAY, "gateway.websocket.message"),
  WEBSOCKET_CONNECTION_MINUTE(Component.GATEWAY, "gateway.websocket.connection_minute"),
  STREAMING_RESPONSE_10MB(Component.GATEWAY, "gateway.rest.streaming_10mb"),
  FUNCTION_REQUEST(Component.FUNCTION, "function.request"),
  FUNCTION_GB_SECOND(Component.FUNCTION, "function.gb_second"),
  FUNCTION_STREAMED_GB(Component.FUNCTION, "function.streamed_gb"),
  QUEUE_REQUEST(Component.QUEUE, "queue.request"),
  BUS_EVENT(Component.BUS, "bus.event"),
  STATE_WRITE_UNIT(Component.STATE, "state.write_unit"),
  STATE_READ_UNIT(Component.STATE, "state.read_unit"),
  LLM_INPUT_TOKEN(Component.LLM, "input"),
  LLM_OUTPUT_TOKEN(Component.LLM, "output");

  private final Component component;
  private final String priceKey;
  private final String label = name().toLowerCase(Locale.ROOT);

  BillableUnit(Component component, String priceKey) {
    this.component = component;
    this.priceKey = priceKey;
  }

  /** The unit's name in lower case, as metrics label it. */
  public String label() {
    return label;
  }

  public Component component() {
    return component;
  }

  public String priceKey() {
    return priceKey;
  }

  public boolean perModel() {
    return component == Component.LLM;
  }
}
