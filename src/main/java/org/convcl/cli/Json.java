package org.convcl.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Collection;
import org.convcl.bench.BenchResult;

/**
 * A one-line JSON object for {@code --json}, written by Gson. Every command uses it, and every key
 * is snake_case. Numbers that are not finite (NaN, infinity) are written as {@code null}, since
 * JSON has no way to say them.
 */
final class Json {
  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private final JsonObject fields = new JsonObject();

  /**
   * Adds {@code key}: a string, number, boolean, null, another {@code Json}, a collection, or an
   * array of numbers (nested arrays become nested lists).
   */
  Json put(String key, Object value) {
    fields.add(key, element(value));
    return this;
  }

  private static JsonElement element(Object v) {
    if (v == null) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Json j) {
      return j.fields;
    }
    if (v instanceof Double d && !Double.isFinite(d)) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Float f && !Float.isFinite(f)) {
      return JsonNull.INSTANCE;
    }
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (v instanceof Collection<?> c) {
      JsonArray a = new JsonArray();
      c.forEach(x -> a.add(element(x)));
      return a;
    }
    if (v.getClass().isArray()) {
      JsonArray a = new JsonArray();
      int n = java.lang.reflect.Array.getLength(v);
      for (int i = 0; i < n; i++) {
        a.add(element(java.lang.reflect.Array.get(v, i)));
      }
      return a;
    }
    return new JsonPrimitive(v.toString());
  }

  /** One bench figure; missing figures (no profiling, no flops) are null. */
  static Json of(BenchResult r) {
    return new Json()
        .put("backend", r.backend())
        .put("op", r.op())
        .put("shape", r.shape())
        .put("batch", r.batch())
        .put("batch_scaled", r.batchScaled())
        .put("repeats", r.repeats())
        .put("wall_ms", r.wallMs())
        .put("kernel_ms", r.kernelMs())
        .put("gflops", r.flops() == 0 ? Double.NaN : r.gflops())
        .put("kernel_gflops", r.flops() == 0 ? Double.NaN : r.kernelGflops())
        .put("gb_per_second", r.bytes() == 0 ? Double.NaN : r.gbPerSecond())
        .put("flops", r.flops())
        .put("bytes", r.bytes());
  }

  @Override
  public String toString() {
    return GSON.toJson(fields);
  }
}
