import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.nn.Models;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.train.Optimizer;

/**
 * LeNet's training step at batch 64 on the CPU backend (forward, loss, backward, SGD with momentum
 * 0.9) on fixed random images, as {@link Harness} times it. Loaded once per jar, each copy through
 * its own class loader, so each copy's state below is that jar's. Its backend, model and tensors
 * live as long as the harness's JVM, which ends after the comparison.
 */
public final class Workload {
  private static Ops ops;
  private static Sequential model;
  private static Optimizer optimizer;
  private static Tensor images;
  private static Tensor labels;
  private static Tensor probs;
  private static Tensor losses;
  private static Tensor gradLogits;

  private Workload() {}

  /** Runs {@code steps} steps (the first call builds everything) and returns their nanoseconds. */
  public static long block(int steps) {
    if (ops == null) {
      setUp();
    }
    long t0 = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      Tensor logits = model.forward(images, true);
      ops.softmaxCrossEntropyForward(logits, labels, probs, losses);
      ops.softmaxCrossEntropyBackward(probs, labels, 1f / 64, gradLogits);
      model.backward(gradLogits);
      optimizer.step(ops, model.params(), 0.01f);
      ops.sum(losses);
    }
    return System.nanoTime() - t0;
  }

  private static void setUp() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.WARN);
    ops = new CpuOps();
    model = ModelSpec.build(ops, Models.spec("lenet"), Shape.of(1, 28, 28), 1);
    Random r = new Random(1);
    float[] x = new float[64 * 28 * 28];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int[] y = new int[64];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(10);
    }
    images = ops.upload(Shape.of(64, 1, 28, 28), x);
    labels = ops.uploadInts(Shape.of(64), y);
    probs = ops.allocate(Shape.of(64, 10), DType.FLOAT32);
    losses = ops.allocate(Shape.of(64), DType.FLOAT32);
    gradLogits = ops.allocate(Shape.of(64, 10), DType.FLOAT32);
    optimizer = Optimizer.sgd(0.01).withMomentum(0.9).create();
  }
}
