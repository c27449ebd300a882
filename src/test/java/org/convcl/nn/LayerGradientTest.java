package org.convcl.nn;

import org.convcl.cpu.CpuOps;
import org.convcl.ops.Activation;
import org.convcl.ops.BatchNormConfig;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Central-difference checks of every layer's backward pass on the CPU backend. */
class LayerGradientTest {
  private final CpuOps ops = new CpuOps();

  @AfterEach
  void close() {
    ops.close();
  }

  @Test
  void conv2dPlain() {
    try (Conv2d l = new Conv2d(3, ConvParams.of(3))) {
      GradCheck.check(ops, l, Shape.nchw(2, 2, 6, 5), 11, true);
    }
  }

  @Test
  void conv2dStridePaddingDilation() {
    ConvParams p = ConvParams.of(3).withStride(2).withPadding(Padding.of(1, 2)).withDilation(2, 1);
    try (Conv2d l = new Conv2d(4, p)) {
      GradCheck.check(ops, l, Shape.nchw(2, 3, 7, 6), 12, true);
    }
  }

  @Test
  void conv2dWithoutBias() {
    try (Conv2d l = new Conv2d(2, ConvParams.of(2).withBias(false))) {
      GradCheck.check(ops, l, Shape.nchw(3, 1, 4, 4), 13, true);
    }
  }

  @Test
  void denseOnImageInput() {
    try (Dense l = new Dense(5)) {
      GradCheck.check(ops, l, Shape.nchw(3, 2, 3, 3), 21, true);
    }
  }

  @Test
  void denseOnVectors() {
    try (Dense l = new Dense(4)) {
      GradCheck.check(ops, l, Shape.of(5, 7), 22, true);
    }
  }

  @Test
  void maxPool() {
    try (MaxPool2d l = new MaxPool2d(PoolParams.of(2, 2))) {
      GradCheck.check(ops, l, Shape.nchw(2, 3, 6, 6), 31, true, true);
    }
  }

  @Test
  void maxPoolOverlappingPadded() {
    PoolParams p = PoolParams.of(3, 2).withPadding(Padding.of(1));
    try (MaxPool2d l = new MaxPool2d(p)) {
      GradCheck.check(ops, l, Shape.nchw(1, 2, 5, 5), 32, true, true);
    }
  }

  @Test
  void avgPool() {
    try (AvgPool2d l = new AvgPool2d(PoolParams.of(2, 2))) {
      GradCheck.check(ops, l, Shape.nchw(2, 2, 4, 6), 33, true);
    }
  }

  @Test
  void activations() {
    Activation[] fs = {
      Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID
    };
    for (Activation f : fs) {
      try (ActivationLayer l = new ActivationLayer(f)) {
        GradCheck.check(ops, l, Shape.nchw(2, 2, 3, 3), 41, true);
      }
    }
  }

  @Test
  void batchNormImages() {
    try (BatchNorm2d l = new BatchNorm2d(BatchNormConfig.DEFAULT)) {
      GradCheck.check(ops, l, Shape.nchw(3, 2, 3, 3), 51, true);
    }
  }

  @Test
  void batchNormVectors() {
    try (BatchNorm2d l = new BatchNorm2d(BatchNormConfig.DEFAULT)) {
      GradCheck.check(ops, l, Shape.of(6, 4), 52, true);
    }
  }

  @Test
  void dropoutWithFixedMask() {
    try (Dropout l = new Dropout(0.4f)) {
      l.seed(1234);
      GradCheck.check(ops, l, Shape.nchw(2, 2, 4, 4), 61, true);
    }
  }

  @Test
  void flatten() {
    try (Flatten l = new Flatten()) {
      GradCheck.check(ops, l, Shape.nchw(2, 2, 2, 3), 71, true);
    }
  }
}
