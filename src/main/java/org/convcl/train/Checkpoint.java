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
 * names are prefixed {@code param/}, {@code buffer/} or {@code optim/}. {@code history} holds the
 * metrics of epochs 1..{@code epoch} in order (empty in a version-1 file; a run resumed from one
 * keeps the rows its metrics.csv still had), so the checkpoint is the one record of an epoch:
 * {@code metrics.csv} and the chart are rebuilt from it. The file form is in {@link CheckpointIO}
 * and docs/checkpoint-format.md.
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
    List<NamedArray> tensors,
    List<EpochMetrics> history) {

  public Checkpoint {
    org.convcl.tensor.Require.nonNegative("checkpoint epoch", epoch);
    classNames = List.copyOf(classNames);
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    tensors = List.copyOf(tensors);
    history = List.copyOf(history);
    int previous = 0;
    for (EpochMetrics m : history) {
      org.convcl.tensor.Require.that(
          m.epoch() > previous && m.epoch() <= epoch,
          "checkpoint metrics row epoch",
          m.epoch(),
          "must follow epoch " + previous + " and be at most the completed " + epoch);
      previous = m.epoch();
    }
  }

  /** A checkpoint without a metrics history (as version 1 stored them). */
  public Checkpoint(
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
    this(
        spec,
        inputItem,
        classNames,
        normalization,
        epoch,
        step,
        seed,
        optimizer,
        optimizerStep,
        settings,
        tensors,
        List.of());
  }

  /** This checkpoint carrying the metrics of epochs 1..{@link #epoch}. */
  public Checkpoint withHistory(List<EpochMetrics> metrics) {
    return new Checkpoint(
        spec,
        inputItem,
        classNames,
        normalization,
        epoch,
        step,
        seed,
        optimizer,
        optimizerStep,
        settings,
        tensors,
        metrics);
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
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (Param p : model.params()) {
      expected.add("param/" + p.name());
    }
    for (Param p : model.buffers()) {
      expected.add("buffer/" + p.name());
    }
    requireNoUnknown(byName, expected, "param/", "buffer/");
    for (Param p : model.params()) {
      write(model.ops(), byName, "param/" + p.name(), p.value());
    }
    for (Param p : model.buffers()) {
      write(model.ops(), byName, "buffer/" + p.name(), p.value());
    }
  }

  /** A tensor of the given roles that the model has no place for is refused, naming it. */
  private static void requireNoUnknown(
      Map<String, NamedArray> byName, java.util.Set<String> expected, String... roles) {
    for (String name : byName.keySet()) {
      for (String role : roles) {
        if (name.startsWith(role) && !expected.contains(name)) {
          throw new IllegalArgumentException(
              "checkpoint tensor " + name + ": the model has no such tensor");
        }
      }
    }
  }

  /** Writes the stored optimizer state into {@code opt}; false when it is another optimizer. */
  public boolean restoreOptimizer(Sequential model, Optimizer opt) {
    if (!opt.name().equals(optimizer)) {
      return false;
    }
    Map<String, NamedArray> byName = byName();
    Map<String, Tensor> state = opt.state(model.ops(), model.params());
    java.util.Set<String> expected = new java.util.HashSet<>();
    state.keySet().forEach(k -> expected.add("optim/" + k));
    requireNoUnknown(byName, expected, "optim/");
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      write(model.ops(), byName, "optim/" + e.getKey(), e.getValue());
    }
    opt.setStepCount(optimizerStep);
    return true;
  }

  /** The tensors by name; a name stored twice is refused. */
  private Map<String, NamedArray> byName() {
    Map<String, NamedArray> m = new LinkedHashMap<>();
    for (NamedArray a : tensors) {
      if (m.put(a.name(), a) != null) {
        throw new IllegalArgumentException("checkpoint tensor " + a.name() + ": stored twice");
      }
    }
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
