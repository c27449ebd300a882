package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convcl.cpu.CpuOps;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * What the checkpoint fixtures of {@code scripts/fixtures/make_checkpoint_v*.py} hold, and the
 * checks their tests share: the tensors in file order, the value of every element, and a model and
 * Adam built from the stored spec restoring from them.
 */
final class CheckpointFixtures {
  private CheckpointFixtures() {}

  /** {@code src/test/resources/fixtures/<name>}. */
  static Path path(String name) throws URISyntaxException {
    return Path.of(CheckpointFixtures.class.getResource("/fixtures/" + name).toURI());
  }

  /** The scripts' value(t, i): element i of the t-th tensor in file order. */
  static float value(int t, int i) {
    return ((i * 7 + t * 3) % 23 - 11) / 16f;
  }

  /**
   * The scripts' adam_tensors: the file order of a model trained with Adam, {@code param/} tensors,
   * {@code buffer/} tensors, then {@code optim/<param>.m} and {@code .v} per parameter.
   */
  static List<Map.Entry<String, Shape>> adamTensors(
      List<Map.Entry<String, Shape>> params, List<Map.Entry<String, Shape>> buffers) {
    List<Map.Entry<String, Shape>> out = new ArrayList<>();
    params.forEach(p -> out.add(Map.entry("param/" + p.getKey(), p.getValue())));
    buffers.forEach(b -> out.add(Map.entry("buffer/" + b.getKey(), b.getValue())));
    for (Map.Entry<String, Shape> p : params) {
      out.add(Map.entry("optim/" + p.getKey() + ".m", p.getValue()));
      out.add(Map.entry("optim/" + p.getKey() + ".v", p.getValue()));
    }
    return out;
  }

  /**
   * {@code c} holds exactly {@code expected}, in that order, element i of tensor t = value(t, i).
   */
  static void assertTensors(List<Map.Entry<String, Shape>> expected, Checkpoint c) {
    assertEquals(expected.size(), c.tensors().size());
    for (int t = 0; t < expected.size(); t++) {
      NamedArray a = c.tensors().get(t);
      assertEquals(expected.get(t).getKey(), a.name(), "tensor " + t);
      assertEquals(expected.get(t).getValue(), a.shape(), a.name());
      assertEquals(expected.get(t).getValue().size(), a.data().length, a.name());
      for (int i = 0; i < a.data().length; i++) {
        assertEquals(value(t, i), a.data()[i], a.name() + " element " + i);
      }
    }
  }

  /**
   * A model built on the CPU from {@code c}'s spec (with another seed than any that could give the
   * stored values) and a fresh Adam restore from {@code c}: every parameter, buffer and Adam state
   * tensor then holds its tensor of {@code expected}, each of those is restored into one, and
   * Adam's step count is {@code c}'s.
   */
  static void assertModelAndAdamRestore(Checkpoint c, List<Map.Entry<String, Shape>> expected) {
    Map<String, Integer> fileIndex = new HashMap<>();
    for (int t = 0; t < expected.size(); t++) {
      fileIndex.put(expected.get(t).getKey(), t);
    }
    try (CpuOps ops = new CpuOps(1);
        Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), 99);
        Optimizer adam = Optimizer.adam(0.001).create()) {
      c.restoreModel(m);
      assertTrue(c.restoreOptimizer(m, adam));
      assertEquals(c.optimizerStep(), adam.stepCount());
      Map<String, Tensor> restored = new HashMap<>();
      for (Param p : m.params()) {
        restored.put("param/" + p.name(), p.value());
      }
      for (Param p : m.buffers()) {
        restored.put("buffer/" + p.name(), p.value());
      }
      adam.state(ops, m.params()).forEach((name, state) -> restored.put("optim/" + name, state));
      assertEquals(fileIndex.keySet(), restored.keySet());
      restored.forEach(
          (name, tensor) -> {
            int t = fileIndex.get(name);
            float[] data = ops.read(tensor);
            for (int i = 0; i < data.length; i++) {
              assertEquals(value(t, i), data[i], name + " element " + i);
            }
          });
    }
  }
}
