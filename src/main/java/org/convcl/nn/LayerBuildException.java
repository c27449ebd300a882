package org.convcl.nn;

import java.util.function.Supplier;

/** A layer that does not fit its input; carries the layer's position so specs can point at it. */
public final class LayerBuildException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int layerIndex;

  LayerBuildException(int layerIndex, String token, IllegalArgumentException cause) {
    super("layer " + layerIndex + " (" + token + "): " + cause.getMessage(), cause);
    this.layerIndex = layerIndex;
  }

  /** Runs one step on layer {@code i} (build, or a shape-only query); its IAE names the layer. */
  static <T> T at(int i, Layer layer, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new LayerBuildException(i, layer.spec(), e);
    }
  }

  /** 0-based position of the layer in the model. */
  public int layerIndex() {
    return layerIndex;
  }

  /** The underlying rule that was broken, without the layer prefix. */
  public String problem() {
    return getCause().getMessage();
  }
}
