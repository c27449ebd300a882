package org.convcl.onnx;

/** An ONNX file ConvCL cannot read, or a model it cannot express in ONNX; the message says why. */
public final class OnnxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Says what is wrong.
   *
   * @param message the problem, naming the node, operator or field
   */
  public OnnxException(String message) {
    super(message);
  }
}
