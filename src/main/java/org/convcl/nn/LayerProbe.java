package org.convcl.nn;

/** Hears each layer call of a {@link Sequential}: a step profiler times and attributes them. */
public interface LayerProbe {
  /** Hears nothing. */
  LayerProbe NONE = new LayerProbe() {};

  /** Layer {@code index} is about to run its forward ({@code backward} false) or backward pass. */
  default void before(int index, Layer layer, boolean backward) {}

  /** Layer {@code index} has enqueued (on OpenCL) or finished (on the CPU) that pass. */
  default void after(int index, Layer layer, boolean backward) {}
}
