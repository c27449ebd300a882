package org.convcl.impl;

import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Tensor;

/**
 * The tensors of one convolution pass, in the Ops method's order: forward {@code (input, weights,
 * bias, output)}, input gradient {@code (gradOutput, weights, -, gradInput)}, filter gradient
 * {@code (input, gradOutput, -, gradWeights)}. A forward call may carry an {@code epilogue}, the
 * activation applied to every output after the bias (null: none; always null for the gradients).
 */
public record ConvCall(
    Pass pass,
    Tensor first,
    Tensor second,
    Tensor bias,
    Tensor out,
    ConvGeometry geometry,
    Activation epilogue) {

  public ConvCall {
    Require.that(
        epilogue == null || pass == Pass.CONV_FORWARD,
        "epilogue",
        epilogue,
        "applies to the forward pass only, not " + pass);
  }

  public static ConvCall forward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    return forward(input, weights, bias, output, g, null);
  }

  public static ConvCall forward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Activation epilogue) {
    return new ConvCall(Pass.CONV_FORWARD, input, weights, bias, output, g, epilogue);
  }

  /** The same call without its epilogue: what an implementation that does not fuse one runs. */
  public ConvCall withoutEpilogue() {
    return epilogue == null ? this : new ConvCall(pass, first, second, bias, out, geometry, null);
  }

  public static ConvCall backwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    return new ConvCall(Pass.CONV_BACKWARD_INPUT, gradOutput, weights, null, gradInput, g, null);
  }

  public static ConvCall backwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    return new ConvCall(Pass.CONV_BACKWARD_FILTER, input, gradOutput, null, gradWeights, g, null);
  }
}
