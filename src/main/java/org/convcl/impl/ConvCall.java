package org.convcl.impl;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Tensor;

/**
 * The tensors of one convolution pass, in the Ops method's order: forward {@code (input, weights,
 * bias, output)}, input gradient {@code (gradOutput, weights, -, gradInput)}, filter gradient
 * {@code (input, gradOutput, -, gradWeights)}.
 */
public record ConvCall(
    Pass pass, Tensor first, Tensor second, Tensor bias, Tensor out, ConvGeometry geometry) {

  public static ConvCall forward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    return new ConvCall(Pass.CONV_FORWARD, input, weights, bias, output, g);
  }

  public static ConvCall backwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    return new ConvCall(Pass.CONV_BACKWARD_INPUT, gradOutput, weights, null, gradInput, g);
  }

  public static ConvCall backwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    return new ConvCall(Pass.CONV_BACKWARD_FILTER, input, gradOutput, null, gradWeights, g);
  }
}
