package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.MeterRecord;
import io.promptway.runtime.metering.PriceTable;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiGatewayTest {
  private static final long STREAM_BYTES = 1_200_000; // three 512 KB increments

  private final Database db =
      new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final JdbcMeter meter =
      new JdbcMeter(db, PriceTable.shipped(), SimulatedClock.realTime());

  @AfterEach
  void close() {
    meter.close();
    db.close();
  }

  private ApiGateway gateway(String apiType) {
    return new ApiGateway(
        new ConfigLoader().load(null, Map.of("gateway.api_type", apiType)).gateway(), meter);
  }

  private double billed(String requestId, BillableUnit unit) {
    return meter.records(requestId).stream()
        .filter(r -> r.unit() == unit)
        .mapToDouble(MeterRecord::quantity)
        .sum();
  }

  @Test
  void aStreamOnAnHttpApiIsBilledItsFirstIncrementAtOnceAndTheRestWhenItEnds() {
    ApiGateway http = gateway("http");

    http.billStreamStarted("req_s", "sse");
    assertEquals(1, billed("req_s", BillableUnit.HTTP_API_REQUEST));
    http.billStreamEnded("req_s", "sse", STREAM_BYTES);
    http.billRequest("req_whole", "sync", STREAM_BYTES);

    assertEquals(3, billed("req_s", BillableUnit.HTTP_API_REQUEST));
    assertEquals(3, billed("req_whole", BillableUnit.HTTP_API_REQUEST));
  }

  @Test
  void aStreamOnARestApiIsOneRequestBilledAsItArrives() {
    ApiGateway rest = gateway("rest");

    rest.billStreamStarted("req_s", "sse");
    rest.billStreamEnded("req_s", "sse", STREAM_BYTES);

    assertEquals(1, billed("req_s", BillableUnit.REST_API_REQUEST));
    assertEquals(0, billed("req_s", BillableUnit.HTTP_API_REQUEST));
  }
}
