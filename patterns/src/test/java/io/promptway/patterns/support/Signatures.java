package io.promptway.patterns.support;

import io.promptway.runtime.webhook.CallbackReceiver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Verifies a Standard Webhooks signature independently of the runtime's signer. */
public final class Signatures {
  private Signatures() {}

  public static boolean valid(String secret, CallbackReceiver.Call call) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String signed =
          call.header("webhook-id") + "." + call.header("webhook-timestamp") + "." + call.body();
      String expected =
          "v1,"
              + Base64.getEncoder()
                  .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
      for (String sig : call.header("webhook-signature").split(" "))
        if (sig.equals(expected)) return true;
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
