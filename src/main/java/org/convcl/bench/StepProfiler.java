package org.convcl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convcl.nn.ActivationLayer;
import org.convcl.nn.Layer;
import org.convcl.nn.LayerProbe;
import org.convcl.nn.MaxPool2d;
import org.convcl.nn.Sequential;
import org.convcl.ops.KernelProfiler;
import org.convcl.ops.KernelTiming;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;

/**
 * Where a training step's time goes, per layer and pass: attached to a model as its {@link
 * LayerProbe}, it cuts each step into segments at every layer boundary (waiting for the device at
 * each cut, so a segment's wall time is its own), and sums per segment the wall time, and, on a
 * backend with a device clock, the kernels launched with their implementations and device time.
 * What runs between layers (the batch upload, the loss, its read-back, the optimizer) is the
 * segment {@code other}. The waits make a profiled step slower than a plain one; the per-layer
 * split is what it is for. Call {@link #stepDone()} after each step; steps before {@code warmup}
 * are not counted.
 */
public final class StepProfiler implements LayerProbe {
  /** One segment's sums over the counted steps. */
  private static final class Segment {
    final String layer;
    final String pass;
    final long flopsPerStep;
    final long bytesPerStep;
    double wallMs;
    double kernelMs;
    int launches;
    final Set<String> implementations = new LinkedHashSet<>();

    Segment(String layer, String pass, long flops, long bytes) {
      this.layer = layer;
      this.pass = pass;
      this.flopsPerStep = flops;
      this.bytesPerStep = bytes;
    }
  }

  private final Ops ops;
  private final Sequential model;
  private final int batch;
  private final int warmup;
  private final KernelProfiler clock;
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private int steps;
  private long cut;
  private double stepWallMs;

  public StepProfiler(Sequential model, int batch, int warmup) {
    this.ops = model.ops();
    this.model = model;
    this.batch = batch;
    this.warmup = warmup;
    this.clock = ops.kernelProfiler().orElse(null);
    segments.put("other", new Segment("other", "loss, update, host", 0, 0));
    restart();
  }

  @Override
  public void before(int index, Layer layer, boolean backward) {
    close(segments.get("other"));
  }

  @Override
  public void after(int index, Layer layer, boolean backward) {
    String key = index + (backward ? " backward" : " forward");
    Segment s = segments.get(key);
    if (s == null) {
      Shape in = model.inputItemOf(index);
      // Backward: the input and the weight gradient, each as costly as the forward; the first
      // layer computes only the weight gradient (Sequential skips its input gradient).
      long flops = layer.flops(in) * batch * (backward ? (index == 0 ? 1 : 2) : 1);
      long items = (long) in.size() + layer.outputItem(in).size();
      long bytes = 4L * items * batch * (backward ? 2 : 1);
      // A fused activation runs inside a neighbour (its forward in the layer before, its backward
      // in the max pool after), and a max pool fused into the convolution before runs in it: they
      // have no work of their own.
      boolean inConv =
          layer instanceof MaxPool2d p && p.inConv() || backward && beforeAPoolInConv(index);
      boolean fused =
          inConv
              || layer instanceof ActivationLayer a && (backward ? a.backwardInPool() : a.fused());
      String pass =
          inConv
              ? "in conv"
              : backward ? (fused ? "in pool" : "backward") : fused ? "fused" : "forward";
      s = new Segment(index + " " + layer.spec(), pass, fused ? 0 : flops, fused ? 0 : bytes);
      segments.put(key, s);
    }
    close(s);
  }

  /**
   * Whether layer {@code index} is an activation whose backward the max pool after it applies, and
   * that pool runs inside the convolution before: then the activation's backward runs in the
   * convolution's.
   */
  private boolean beforeAPoolInConv(int index) {
    List<Layer> layers = model.layers();
    return layers.get(index) instanceof ActivationLayer a
        && a.backwardInPool()
        && index + 1 < layers.size()
        && layers.get(index + 1) instanceof MaxPool2d p
        && p.inConv();
  }

  /** Ends a step: what ran since the last layer goes to {@code other}. */
  public void stepDone() {
    close(segments.get("other"));
    steps++;
    if (steps == warmup) {
      for (Segment s : segments.values()) {
        s.wallMs = 0;
        s.kernelMs = 0;
        s.launches = 0;
      }
      stepWallMs = 0;
    }
  }

  private void close(Segment s) {
    ops.finish();
    long now = System.nanoTime();
    double wall = (now - cut) / 1e6;
    s.wallMs += wall;
    stepWallMs += wall;
    if (clock != null) {
      for (KernelTiming t : clock.stop()) {
        s.kernelMs += t.nanos() / 1e6;
        s.launches += t.launches();
        s.implementations.add(t.implementation());
      }
    }
    restart();
  }

  private void restart() {
    if (clock != null) {
      clock.start();
    }
    cut = System.nanoTime();
  }

  /** The per-segment report over the steps counted so far. */
  public StepProfile report() {
    int counted = Math.max(1, steps - warmup);
    List<StepProfile.Row> rows = new ArrayList<>();
    double kernel = 0;
    for (Segment s : segments.values()) {
      rows.add(
          new StepProfile.Row(
              s.layer,
              s.pass,
              List.copyOf(s.implementations),
              s.launches / (double) counted,
              clock == null ? Double.NaN : s.kernelMs / counted,
              s.wallMs / counted,
              s.flopsPerStep,
              s.bytesPerStep));
      kernel += s.kernelMs;
    }
    return new StepProfile(
        ops.name(),
        batch,
        counted,
        rows,
        stepWallMs / counted,
        clock == null ? Double.NaN : kernel / counted);
  }
}
