package org.convcl.train;

import java.util.ArrayList;
import java.util.List;
import org.convcl.nn.Shapes;
import org.convcl.ops.Ops;
import org.convcl.ops.StagedRead;
import org.convcl.ops.StagedWrite;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The device tensors of one batch of B items, allocated once per run: images {@code [B][C][H][W]},
 * labels int {@code [B]}, softmax probabilities and their gradient {@code [B][classes]}, per-item
 * losses {@code [B]}, predictions int {@code [B]}; plus the host staging arrays, and (from the
 * first {@link #send}) the staged writes that upload them and (from the first {@link
 * #requestPredictions}) the staged read that brings the predictions back, neither waiting.
 */
final class BatchTensors implements AutoCloseable {
  final int size;
  final Tensor images;
  final Tensor labels;
  final Tensor probs;
  final Tensor losses;
  final Tensor gradLogits;
  final Tensor predictions;
  final float[] hostImages;
  final int[] hostLabels;
  private StagedWrite imageWrite; // made by the first send
  private StagedWrite labelWrite;
  private StagedRead predictionRead; // made by the first requestPredictions

  BatchTensors(Ops ops, int size, Shape item, int classes) {
    this.size = size;
    Shape logits = Shape.of(size, classes);
    // If a later allocation fails (device memory), the earlier tensors must not stay live.
    List<Tensor> made = new ArrayList<>();
    try {
      images = keep(made, ops.allocate(Shapes.batch(size, item), DType.FLOAT32));
      labels = keep(made, ops.allocate(Shape.of(size), DType.INT32));
      probs = keep(made, ops.allocate(logits, DType.FLOAT32));
      losses = keep(made, ops.allocate(Shape.of(size), DType.FLOAT32));
      gradLogits = keep(made, ops.allocate(logits, DType.FLOAT32));
      predictions = keep(made, ops.allocate(Shape.of(size), DType.INT32));
      hostImages = new float[size * item.size()];
      hostLabels = new int[size];
    } catch (RuntimeException | Error e) {
      for (Tensor t : made) {
        try {
          t.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static Tensor keep(List<Tensor> made, Tensor t) {
    made.add(t);
    return t;
  }

  /** Copies the staged host batch to the device. */
  void upload(Ops ops) {
    ops.write(images, hostImages);
    ops.writeInts(labels, hostLabels);
  }

  /**
   * Sends the staged host batch to the device without waiting for it ({@link Ops#stagedWrite}):
   * work enqueued afterwards sees it, and the host arrays may be refilled at once.
   */
  void send(Ops ops) {
    if (imageWrite == null) {
      StagedWrite images = ops.stagedWrite(this.images);
      try {
        labelWrite = ops.stagedWrite(labels);
      } catch (RuntimeException e) {
        images.close();
        throw e;
      }
      imageWrite = images;
    }
    imageWrite.write(hostImages);
    labelWrite.writeInts(hostLabels);
  }

  /**
   * Asks for the predictions without waiting ({@link Ops#stagedRead}); {@link #predicted} takes
   * them.
   */
  void requestPredictions(Ops ops) {
    if (predictionRead == null) {
      predictionRead = ops.stagedRead(predictions);
    }
    predictionRead.request();
  }

  /** The predictions of the last {@link #requestPredictions}. */
  int[] predicted() {
    return predictionRead.ints();
  }

  @Override
  public void close() {
    if (predictionRead != null) {
      predictionRead.close();
    }
    if (imageWrite != null) { // first: they may still be transferring into the tensors
      imageWrite.close();
      labelWrite.close();
    }
    for (Tensor t : new Tensor[] {images, labels, probs, losses, gradLogits, predictions}) {
      t.close();
    }
  }
}
