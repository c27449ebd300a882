package org.convcl.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.convcl.nn.Param;
import org.convcl.ops.Ops;
import org.convcl.tensor.Tensor;

/** Per-parameter optimizer tensors by name, created zero-filled on first use. */
final class StateTensors implements AutoCloseable {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  Tensor get(Ops ops, Param p, String suffix) {
    return tensors.computeIfAbsent(
        p.name() + "." + suffix,
        k -> {
          Tensor t = ops.allocate(p.value().shape(), p.value().dtype());
          ops.fill(t, 0f);
          return t;
        });
  }

  Map<String, Tensor> view() {
    return java.util.Collections.unmodifiableMap(tensors);
  }

  @Override
  public void close() {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
  }
}
