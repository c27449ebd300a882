package org.convcl.nn;

import java.util.List;
import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.HeapMemory;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A fully connected layer: {@code output[n][o] = bias[o] + sum_f input[n][f] * weights[o][f]}. An
 * image input {@code [N][C][H][W]} is read as {@code [N][C*H*W]} (a view, no copy), so a spec can
 * write {@code maxpool2-dense500} without a flatten.
 */
public final class Dense extends SlottedLayer implements ActivationFusing {
  private final int outFeatures;
  private int inFeatures;
  private Tensor weights;
  private Tensor bias;
  private Tensor gradWeights;
  private Tensor gradBias;
  private Tensor input2d;
  private Shape inputShape;
  private Activation epilogue;

  public Dense(int outFeatures) {
    this.outFeatures = Require.positive("dense output features", outFeatures);
  }

  public int outFeatures() {
    return outFeatures;
  }

  @Override
  public String spec() {
    return "dense" + outFeatures;
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    inFeatures = inputItem.size();
    Shape ws = weightShape(inputItem);
    weights =
        ops.upload(
            ws, init.sample(rng, ws.size(), inFeatures, outFeatures, () -> spec() + " weights"));
    gradWeights = ops.allocate(ws, weights.dtype());
    bias =
        ops.upload(Shape.of(outFeatures), HeapMemory.floats(outFeatures, () -> spec() + " bias"));
    gradBias = ops.allocate(bias.shape(), bias.dtype());
    return Shape.of(outFeatures);
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    weightShape(inputItem); // the same size rule as build
    return Shape.of(outFeatures);
  }

  @Override
  public long paramCount(Shape inputItem) {
    return (long) weightShape(inputItem).size() + outFeatures;
  }

  private Shape weightShape(Shape inputItem) {
    return Shape.of(outFeatures, inputItem.size());
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    int n = input.shape().batch();
    inputShape = input.shape();
    input2d = input.shape().rank() == 2 ? input : ops.view(input, Shape.of(n, inFeatures));
    Tensor out = output.ensure(ops, Shape.of(n, outFeatures));
    ops.denseForward(input2d, weights, bias, out, epilogue);
    return out;
  }

  @Override
  public void fuseActivation(Activation f) {
    epilogue = f;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    ops.denseBackwardWeights(input2d, gradOutput, gradWeights);
    ops.biasBackward(gradOutput, gradBias);
    if (!needGradInput()) {
      return null;
    }
    Tensor gi = gradInput.ensure(ops, inputShape);
    Tensor gi2d = gi.shape().rank() == 2 ? gi : ops.view(gi, input2d.shape());
    ops.denseBackwardInput(gradOutput, weights, gi2d);
    return gi;
  }

  @Override
  public List<Param> params() {
    return List.of(new Param("weights", weights, gradWeights), new Param("bias", bias, gradBias));
  }

  @Override
  public long flops(Shape inputItem) {
    return 2L * inputItem.size() * outFeatures;
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public void close() {
    Closer.closeAll(weights, bias, gradWeights, gradBias);
    weights = bias = gradWeights = gradBias = null;
    super.close();
  }
}
