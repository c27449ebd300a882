package org.convcl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convcl.data.Normalization;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Everything needed to rebuild a model and continue its training exactly: the spec and input shape,
 * class names, normalisation, completed epochs, global step, run seed (from which data order and
 * dropout masks derive), the optimizer and its state, the run's settings, and every tensor. Tensor
 * names are prefixed {@code param/}, {@code buffer/} or {@code optim/}. The file form is in {@link
 * CheckpointIO} and docs/checkpoint-format.md.
 */
public record Checkpoint(
    String spec,
    Shape inputItem,
    List<String> classNames,
    Normalization normalization,
    int epoch,
    long step,
    long seed,
    String optimizer,
    long optimizerStep,
    Map<String, String> settings,
    List<NamedArray> tensors) {

  public Checkpoint {
    org.convcl.tensor.Require.nonNegative("checkpoint epoch", epoch);
    classNames = List.copyOf(classNames);
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    tensors = List.copyOf(tensors);
  }

  /** Reads the model's (and, when given, the optimizer's) tensors back to the host. */
  public static Checkpoint capture(
      Sequential model,
      Optimizer opt,
      List<String> classNames,
      Normalization norm,
      int epoch,
      long step,
      long seed,
      Map<String, String> settings) {
    Ops ops = model.ops();
    List<NamedArray> arrays = new ArrayList<>();
    for (Param p : model.params()) {
      arrays.add(host(ops, "param/" + p.name(), p.value()));
    }
    for (Param p : model.buffers()) {
      arrays.add(host(ops, "buffer/" + p.name(), p.value()));
    }
    String optName = "none";
    long optStep = 0;
    if (opt != null) {
      optName = opt.name();
      optStep = opt.stepCount();
      for (Map.Entry<String, Tensor> e : opt.state(ops, model.params()).entrySet()) {
        arrays.add(host(ops, "optim/" + e.getKey(), e.getValue()));
      }
    }
    return new Checkpoint(
        model.spec(),
        model.inputItem(),
        classNames,
        norm,
        epoch,
        step,
        seed,
        optName,
        optStep,
        settings,
        arrays);
  }

  private static NamedArray host(Ops ops, String name, Tensor t) {
    return new NamedArray(name, t.shape(), ops.read(t));
  }

  /**
   * Writes the stored weights and buffers into {@code model}, which must have the same spec; a
   * missing, misshapen or non-finite tensor is refused, naming it.
   */
  public void restoreModel(Sequential model) {
    Map<String, NamedArray> byName = byName();
    for (Param p : model.params()) {
      write(model.ops(), byName, "param/" + p.name(), p.value());
    }
    for (Param p : model.buffers()) {
      write(model.ops(), byName, "buffer/" + p.name(), p.value());
    }
  }

  /** Writes the stored optimizer state into {@code opt}; false when it is another optimizer. */
  public boolean restoreOptimizer(Sequential model, Optimizer opt) {
    if (!opt.name().equals(optimizer)) {
      return false;
    }
    Map<String, NamedArray> byName = byName();
    for (Map.Entry<String, Tensor> e : opt.state(model.ops(), model.params()).entrySet()) {
      write(model.ops(), byName, "optim/" + e.getKey(), e.getValue());
    }
    opt.setStepCount(optimizerStep);
    return true;
  }

  private Map<String, NamedArray> byName() {
    Map<String, NamedArray> m = new LinkedHashMap<>();
    tensors.forEach(a -> m.put(a.name(), a));
    return m;
  }

  private static void write(Ops ops, Map<String, NamedArray> byName, String name, Tensor t) {
    NamedArray a = byName.get(name);
    if (a == null) {
      throw new IllegalArgumentException("checkpoint tensor " + name + ": missing");
    }
    if (!a.shape().equals(t.shape())) {
      throw new IllegalArgumentException(
          "checkpoint tensor "
              + name
              + " has shape "
              + a.shape()
              + " but the model has "
              + t.shape());
    }
    requireFinite(name, a.data());
    ops.write(t, a.data());
  }

  /** A diverged model must not come back to life as if it were good: refuse NaN and infinity. */
  private static void requireFinite(String name, float[] data) {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "checkpoint tensor "
                + name
                + " element "
                + i
                + " = "
                + data[i]
                + ": must be finite (the checkpoint holds a diverged model)");
      }
    }
  }
}
