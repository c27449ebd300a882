package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the rest scaled by
 * {@code 1/(1-p)}; in evaluation it passes the input through. The mask comes from {@code
 * CounterRandom} under the seed set by {@link #seed(long)}, so both backends, and a resumed run,
 * draw the same mask for the same step.
 */
public final class Dropout extends SlottedLayer {
  private final float p;
  private long seed;
  private final Slot mask = new Slot();

  public Dropout(float p) {
    this.p = Require.inRange("dropout probability", p, 0f, 1f);
  }

  /** The probability that an element is dropped in training. */
  public float p() {
    return p;
  }

  /** The seed of the next masks; the trainer sets it from the run seed and the step number. */
  public void seed(long seed) {
    this.seed = seed;
  }

  @Override
  public String spec() {
    return "dropout" + p;
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    return outputItem(inputItem);
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return inputItem;
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    if (!training) {
      return input;
    }
    Tensor out = output.ensure(ops, input.shape());
    ops.dropoutForward(input, out, mask.ensure(ops, input.shape()), p, seed);
    return out;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    if (!needGradInput()) {
      return null;
    }
    Tensor gi = gradInput.ensure(ops, gradOutput.shape());
    ops.multiply(gradOutput, mask.ensure(ops, gradOutput.shape()), gi);
    return gi;
  }

  @Override
  public long flops(Shape inputItem) {
    return inputItem.size();
  }

  @Override
  public void close() {
    mask.close();
    super.close();
  }
}
