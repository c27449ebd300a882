package org.convcl.cpu;

/** The three passes of a convolution, each computed by its own {@link ConvLowering}. */
public enum ConvPass {
  /** {@code output = conv(input, weights) + bias}. */
  FORWARD,
  /** {@code gradInput} from {@code gradOutput} and the weights. */
  BACKWARD_INPUT,
  /** {@code gradWeights} from the input and {@code gradOutput}. */
  BACKWARD_FILTER
}
