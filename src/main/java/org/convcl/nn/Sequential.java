package org.convcl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A chain of layers on one backend. Build it from a spec ({@link ModelSpec#parse}), a built-in name
 * ({@link Models}) or the Java {@link #builder()}. The model owns its layers and closes them.
 */
public final class Sequential implements AutoCloseable {
  private LayerProbe probe = LayerProbe.NONE;

  private final Ops ops;
  private final Shape inputItem;
  private final List<Layer> layers;
  private final List<Shape> outputItems;

  private Sequential(Ops ops, Shape inputItem, List<Layer> layers, List<Shape> outputItems) {
    this.ops = ops;
    this.inputItem = inputItem;
    this.layers = layers;
    this.outputItems = outputItems;
  }

  /**
   * Builds {@code layers} for inputs of per-item shape {@code inputItem}, initialising weights from
   * {@code seed}: He for a layer that feeds a rectifier (possibly through batch norm or dropout),
   * zero for the classifier head (the last layer), Xavier otherwise. On failure, everything
   * allocated so far is released.
   */
  public static Sequential build(Ops ops, Shape inputItem, List<Layer> layers, long seed) {
    Require.that(!layers.isEmpty(), "model layers", layers, "must not be empty");
    Random rng = new Random(seed);
    List<Shape> shapes = new ArrayList<>();
    Shape shape = inputItem;
    try {
      for (int i = 0; i < layers.size(); i++) {
        shape = buildOne(ops, layers, i, shape, rng);
        shapes.add(shape);
      }
    } catch (RuntimeException e) {
      layers.forEach(Layer::close);
      throw e;
    }
    layers.get(0).skipGradInput();
    fuseActivations(layers);
    fuseActivationBackwardsIntoMaxPools(layers);
    fuseMaxPoolsIntoConvs(ops, layers);
    return new Sequential(ops, inputItem, List.copyOf(layers), List.copyOf(shapes));
  }

  /**
   * Hands each activation that {@link Activation#derivableFromOutput()} to the conv or dense layer
   * right before it, which then applies it in its own forward op: the pre-activation output is
   * never written and read back, a full pass over the largest tensors of a step each way fewer.
   * Results are those of the separate layers.
   */
  private static void fuseActivations(List<Layer> layers) {
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i) instanceof ActivationLayer a
          && a.function().derivableFromOutput()
          && layers.get(i - 1) instanceof ActivationFusing producer) {
        producer.fuseActivation(a.function());
        a.fusedIntoProducer();
      }
    }
  }

  /**
   * Hands the backward pass of each activation that {@link Activation#derivableFromOutput()} (fused
   * into its producer or not) to the max pool right after it: at every argmax cell, the only cells
   * with a gradient, the activated input is the pooled output, so the upsample can multiply by f'
   * read from it, and the activation's own sweep over the unpooled tensor goes. Results are those
   * of the separate layers (the products are the same; only where windows overlap under leaky ReLU
   * are the products summed instead of the sum multiplied).
   */
  private static void fuseActivationBackwardsIntoMaxPools(List<Layer> layers) {
    for (int i = 0; i + 1 < layers.size(); i++) {
      if (layers.get(i) instanceof ActivationLayer a
          && a.function().derivableFromOutput()
          && layers.get(i + 1) instanceof MaxPool2d pool) {
        pool.fuseActivationBackward(a.function());
        a.backwardFusedIntoPool();
      }
    }
  }

  /**
   * Offers each max pool that follows a convolution (directly or after the activation fused into
   * it) to that convolution, which takes it over where the backend fuses the two ({@link
   * Conv2d#fuseMaxPool}): the convolution's output is then never written out, and the pool and the
   * activation between pass tensors through. Results are those of the separate layers (the bias
   * gradient may round differently: it may add the products one by one instead of the upsampled
   * cells).
   */
  private static void fuseMaxPoolsIntoConvs(Ops ops, List<Layer> layers) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Conv2d conv) {
        int j = i + 1;
        if (j < layers.size() && layers.get(j) instanceof ActivationLayer a && a.fused()) {
          j++;
        }
        if (j < layers.size() && layers.get(j) instanceof MaxPool2d pool) {
          conv.fuseMaxPool(ops, pool);
        }
      }
    }
  }

  private static Shape buildOne(Ops ops, List<Layer> layers, int i, Shape in, Random rng) {
    Layer l = layers.get(i);
    return LayerBuildException.at(i, l, () -> l.build(ops, in, initFor(layers, i), rng));
  }

  private static WeightInit initFor(List<Layer> layers, int i) {
    if (isHead(layers, i)) {
      return WeightInit.ZERO;
    }
    for (int j = i + 1; j < layers.size(); j++) {
      Layer next = layers.get(j);
      if (next instanceof ActivationLayer a) {
        return a.isRectifier() ? WeightInit.HE : WeightInit.XAVIER;
      }
      if (next.hasWeights()) {
        break;
      }
    }
    return WeightInit.XAVIER;
  }

  /** The last layer with weights, when nothing but dropout follows it: it produces the logits. */
  private static boolean isHead(List<Layer> layers, int i) {
    for (int j = i + 1; j < layers.size(); j++) {
      if (!(layers.get(j) instanceof Dropout)) {
        return false;
      }
    }
    return layers.get(i).hasWeights();
  }

  public static ModelBuilder builder() {
    return new ModelBuilder();
  }

  public Ops ops() {
    return ops;
  }

  public Shape inputItem() {
    return inputItem;
  }

  public Shape outputItem() {
    return outputItems.get(outputItems.size() - 1);
  }

  /** The per-item input shape of layer {@code index}. */
  public Shape inputItemOf(int index) {
    return index == 0 ? inputItem : outputItems.get(index - 1);
  }

  public List<Layer> layers() {
    return layers;
  }

  /** The spec string that rebuilds this architecture, e.g. {@code conv5x5x20-relu-...}. */
  public String spec() {
    return layers.stream().map(Layer::spec).collect(Collectors.joining("-"));
  }

  /** {@code input [N][inputItem]} -> logits {@code [N][classes]}, owned by the last layer. */
  public Tensor forward(Tensor input, boolean training) {
    Require.that(
        Shapes.item(input.shape()).equals(inputItem),
        "model input",
        input.shape(),
        "must be N x " + inputItem);
    Tensor x = input;
    for (int i = 0; i < layers.size(); i++) {
      probe.before(i, layers.get(i), false);
      x = layers.get(i).forward(ops, x, training);
      probe.after(i, layers.get(i), false);
    }
    return x;
  }

  /**
   * Told before and after each layer's forward and backward call: a step profiler attaches here.
   * {@link LayerProbe#NONE} (the default) costs nothing.
   */
  public void probe(LayerProbe p) {
    this.probe = p == null ? LayerProbe.NONE : p;
  }

  /** Back-propagates {@code gradLogits} through every layer, filling all parameter gradients. */
  public void backward(Tensor gradLogits) {
    Tensor g = gradLogits;
    for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
      probe.before(i, layers.get(i), true);
      g = layers.get(i).backward(ops, g);
      probe.after(i, layers.get(i), true);
    }
  }

  /** Trainable parameters, named {@code <index>.<token>.<name>}. */
  public List<Param> params() {
    return named(false);
  }

  /** Non-trainable state (batch norm running statistics), named like {@link #params()}. */
  public List<Param> buffers() {
    return named(true);
  }

  private List<Param> named(boolean buffers) {
    List<Param> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      for (Param p : buffers ? l.buffers() : l.params()) {
        out.add(p.prefixed(i + "." + l.spec()));
      }
    }
    return out;
  }

  /** Sets the dropout seed of every dropout layer for the next training step. */
  public void seedDropout(long seed) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof Dropout d) {
        d.seed(seed * 31 + i);
      }
    }
  }

  public ModelSummary summary() {
    return ModelSummary.of(inputItem, layers);
  }

  @Override
  public void close() {
    layers.forEach(Layer::close);
  }
}
