package org.convcl.nn;

/** A layer that does not fit its input; carries the layer's position so specs can point at it. */
public final class LayerBuildException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int layerIndex;

  LayerBuildException(int layerIndex, String token, IllegalArgumentException cause) {
    super("layer " + layerIndex + " (" + token + "): " + cause.getMessage(), cause);
    this.layerIndex = layerIndex;
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
