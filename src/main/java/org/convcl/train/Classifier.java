package org.convcl.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convcl.data.Dataset;
import org.convcl.data.ImageConvert;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.convcl.onnx.OnnxExport;
import org.convcl.onnx.OnnxImport;
import org.convcl.ops.Backends;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/**
 * The library's front door: an image classifier — a model, its class names and its input
 * normalisation — that is built ({@link #create}, {@link #of}) or loaded ({@link #load(Path)}),
 * trained ({@link #fit}), evaluated, saved and asked for predictions, one image or many at a time
 * (README.md and docs/library.md show it). It runs on the backend of its model and owns the model;
 * close it before the backend (a classifier from {@link #load(Path)} owns its backend too).
 */
public final class Classifier implements AutoCloseable {
  private static final int EVAL_BATCH = 64;

  private final Sequential model;
  private final List<String> classNames;
  private final Ops ownedOps;
  private Normalization norm;
  private int epochs;
  private long steps;
  private long seed;

  private Classifier(
      Sequential model, List<String> classNames, Normalization norm, long seed, Ops ownedOps) {
    this.model = model;
    this.classNames = List.copyOf(classNames);
    this.norm = norm;
    this.seed = seed;
    this.ownedOps = ownedOps;
  }

  /**
   * A new, untrained classifier built from a model name or spec.
   *
   * @param ops the backend to run on
   * @param model a built-in name ({@code lenet}, {@code cifar}) or a model spec such as {@code
   *     conv5x5x20-relu-maxpool2-dense10} (docs/model-spec.md); its last layer must have one output
   *     per class
   * @param inputItem the shape {@code C x H x W} of one image
   * @param classNames the class of each output, in order
   * @param seed the seed of the initial weights
   * @return the classifier, owning its new model
   * @throws IllegalArgumentException when the spec is malformed or does not fit the classes
   */
  public static Classifier create(
      Ops ops, String model, Shape inputItem, List<String> classNames, long seed) {
    Sequential m = ModelSpec.build(ops, Models.spec(model), inputItem, seed);
    try {
      return of(m, classNames, seed);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A classifier around a model built in Java, e.g. with {@code Sequential.builder()}; it takes
   * ownership of the model. Until {@link #fit} measures the training set, images are only scaled to
   * [0, 1].
   *
   * @param model a built model whose output has one value per class
   * @param classNames the class of each output, in order
   * @param seed the seed recorded in saved checkpoints
   * @return the classifier
   * @throws IllegalArgumentException when the outputs do not match the classes
   */
  public static Classifier of(Sequential model, List<String> classNames, long seed) {
    Require.that(
        model.outputItem().size() == classNames.size(),
        "model outputs",
        model.outputItem(),
        "must equal the number of classes " + classNames.size());
    return new Classifier(
        model, classNames, Normalization.identity(model.inputItem().dim(0)), seed, null);
  }

  /**
   * Loads a saved classifier (a checkpoint from {@link #save} or {@code convcl train}) onto the
   * best backend there is ({@link Backends#open}{@code ("auto")}): a GPU, else any OpenCL device,
   * else plain Java. The classifier owns that backend and closes it with itself.
   *
   * @param checkpoint the checkpoint file
   * @return the classifier with the saved weights, classes and normalisation
   * @throws IOException when the file is missing, damaged or not a checkpoint
   */
  public static Classifier load(Path checkpoint) throws IOException {
    Checkpoint c = CheckpointIO.read(checkpoint);
    Ops ops = Backends.open("auto");
    try {
      Classifier k = restore(ops, c);
      return new Classifier(k.model, k.classNames, k.norm, k.seed, ops);
    } catch (RuntimeException e) {
      ops.close();
      throw e;
    }
  }

  /**
   * Loads a saved classifier onto {@code ops}; the caller keeps ownership of the backend.
   *
   * @param ops the backend to run on
   * @param checkpoint the checkpoint file
   * @return the classifier with the saved weights, classes and normalisation
   * @throws IOException when the file is missing, damaged or not a checkpoint
   */
  public static Classifier load(Ops ops, Path checkpoint) throws IOException {
    return restore(ops, CheckpointIO.read(checkpoint));
  }

  /**
   * Rebuilds the classifier a checkpoint holds on {@code ops}.
   *
   * @param ops the backend to run on
   * @param c a checkpoint already read
   * @return the classifier with the checkpoint's weights, classes and normalisation
   * @throws IllegalArgumentException when a tensor is missing, misshapen or not finite
   */
  public static Classifier restore(Ops ops, Checkpoint c) {
    Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), c.seed());
    try {
      c.restoreModel(m);
      Classifier k = new Classifier(m, c.classNames(), c.normalization(), c.seed(), null);
      k.epochs = c.epoch();
      k.steps = c.step();
      return k;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Trains on {@code data.train()} and evaluates {@code data.test()} after every epoch.
   *
   * @param data the training set and the held-out set (a validation split or the test set)
   * @param config the run's settings
   * @return one line of metrics per epoch that ran
   * @see #fit(Split, TrainConfig, TrainListener)
   */
  public List<EpochMetrics> fit(Split data, TrainConfig config) {
    return fit(data, config, TrainListener.NONE);
  }

  /**
   * Trains on {@code data.train()} and evaluates {@code data.test()} after every epoch, telling
   * {@code listener} of every step and epoch. The per-channel normalisation is measured on the
   * training set and kept for evaluation and prediction. With a run directory in {@code config},
   * every epoch also appends to {@code metrics.csv} and writes an atomic checkpoint there (with the
   * optimizer state, so {@code convcl train --resume} can continue it). With keep-best on, the
   * classifier ends with the weights of its best epoch.
   *
   * @param data the training set and the held-out set
   * @param config the run's settings
   * @param listener told of progress; {@link TrainListener#NONE} for nothing
   * @return one line of metrics per epoch that ran (fewer than planned after an early stop)
   * @throws TrainingDivergedException when the loss or the weights stop being finite
   */
  public List<EpochMetrics> fit(Split data, TrainConfig config, TrainListener listener) {
    norm = Normalization.of(data.train());
    seed = config.seed();
    // The trainer closes the optimizer; its state lives on only in the run's checkpoints.
    try (Trainer t =
        new Trainer(
            model, config.optimizer().create(), config, norm, classNames, settings(), listener)) {
      List<EpochMetrics> m = t.fit(data, 0, 0);
      epochs = m.isEmpty() ? 0 : m.get(m.size() - 1).epoch();
      steps = t.steps();
      if (t.best() != null) {
        t.best().restoreModel(model);
        epochs = t.best().epoch();
        steps = t.best().step();
      }
      return m;
    }
  }

  /**
   * Loss and accuracy on {@code d}, in inference mode.
   *
   * @param d labelled images of this classifier's shape and classes
   * @return the mean loss, accuracy and throughput
   */
  public EvalResult evaluate(Dataset d) {
    return Evaluator.evaluate(model, d, norm, EVAL_BATCH);
  }

  /**
   * The full evaluation of {@code d}: confusion matrix, per-class precision and recall, top-k
   * accuracy.
   *
   * @param d labelled images of this classifier's shape and classes
   * @return the report
   */
  public EvalReport report(Dataset d) {
    return Evaluator.report(model, d, norm, EVAL_BATCH, classNames, n -> {});
  }

  /**
   * Class probabilities of one image.
   *
   * @param pixels unsigned bytes {@code [C][H][W]} (0 = black) of the model's input shape
   * @return one probability per class, summing to 1
   */
  public float[] probabilities(byte[] pixels) {
    return probabilities(List.of(pixels))[0];
  }

  /**
   * Class probabilities of one picture, scaled to the model's input (see {@link #pixels}).
   *
   * @param image any picture
   * @return one probability per class
   */
  public float[] probabilities(BufferedImage image) {
    return probabilities(pixels(image, false));
  }

  /**
   * Class probabilities of many images, computed a batch at a time.
   *
   * @param images each as unsigned bytes {@code [C][H][W]} of the model's input shape
   * @return one row of probabilities per image, in order
   */
  public float[][] probabilities(List<byte[]> images) {
    return BatchPredictor.probabilities(model, norm, images.size(), images::get);
  }

  /**
   * Class probabilities of every image of {@code d}, computed a batch at a time.
   *
   * @param d images of the model's input shape (labels are not used)
   * @return one row of probabilities per image, in order
   */
  public float[][] probabilities(Dataset d) {
    return BatchPredictor.probabilities(model, norm, d.size(), d::image);
  }

  /**
   * Class probabilities of many pictures, each scaled to the model's input (see {@link #pixels}).
   *
   * @param images any pictures
   * @return one row of probabilities per picture, in order
   */
  public float[][] probabilitiesOfImages(List<BufferedImage> images) {
    return BatchPredictor.probabilities(
        model, norm, images.size(), i -> pixels(images.get(i), false));
  }

  /**
   * The most probable class of one image.
   *
   * @param pixels unsigned bytes {@code [C][H][W]} (0 = black) of the model's input shape
   * @return its class name
   */
  public String predict(byte[] pixels) {
    return classNames.get(BatchPredictor.argmax(probabilities(pixels)));
  }

  /**
   * The most probable class of one picture.
   *
   * @param image any picture, scaled to the model's input (see {@link #pixels})
   * @return its class name
   */
  public String predict(BufferedImage image) {
    return predict(pixels(image, false));
  }

  /**
   * The most probable class of every image of {@code d}.
   *
   * @param d images of the model's input shape
   * @return one class name per image, in order
   */
  public List<String> predict(Dataset d) {
    return names(probabilities(d));
  }

  /**
   * The most probable class of each image.
   *
   * @param images each as unsigned bytes {@code [C][H][W]} of the model's input shape
   * @return one class name per image, in order
   */
  public List<String> predict(List<byte[]> images) {
    return names(probabilities(images));
  }

  /**
   * The most probable class of each picture.
   *
   * @param images any pictures, scaled to the model's input (see {@link #pixels})
   * @return one class name per picture, in order
   */
  public List<String> predictImages(List<BufferedImage> images) {
    return names(probabilitiesOfImages(images));
  }

  private List<String> names(float[][] probs) {
    List<String> out = new ArrayList<>(probs.length);
    for (float[] p : probs) {
      out.add(classNames.get(BatchPredictor.argmax(p)));
    }
    return out;
  }

  /**
   * A picture as the bytes this model reads: scaled to its input size, grey or RGB, transparent
   * parts composited on the background of the training data (black when its mean brightness is
   * below one half, as for MNIST), optionally inverted for dark-on-light pictures.
   *
   * @param image any picture
   * @param invert true for dark strokes on a light ground when the model learnt light on dark
   * @return unsigned bytes {@code [C][H][W]}
   */
  public byte[] pixels(BufferedImage image, boolean invert) {
    return ImageConvert.toBytes(image, model.inputItem(), darkBackground(), invert);
  }

  /** Whether the training images were mostly dark (MNIST: white digits on black). */
  private boolean darkBackground() {
    float[] mean = norm.mean();
    double sum = 0;
    for (float m : mean) {
      sum += m;
    }
    return sum / mean.length < 0.5;
  }

  /**
   * Writes the weights, class names and normalisation as a checkpoint ({@code convcl eval}, {@code
   * convcl predict} and {@link #load(Path)} read it), atomically: a crash leaves the old file or
   * the new one.
   *
   * @param file where to write
   * @throws IOException when the file cannot be written
   */
  public void save(Path file) throws IOException {
    CheckpointIO.write(
        file, Checkpoint.capture(model, null, classNames, norm, epochs, steps, seed, settings()));
  }

  /**
   * Writes this classifier as an ONNX file (opset 13) for ONNX Runtime, PyTorch and the rest: input
   * {@code pixels} {@code [batch][C][H][W]} scaled to [0, 1] (the normalisation is the graph's
   * first two nodes), output {@code logits} {@code [batch][classes]}; see {@link OnnxExport}.
   *
   * @param file where to write
   * @throws IOException when the file cannot be written
   */
  public void exportOnnx(Path file) throws IOException {
    OnnxExport.write(model, norm, classNames, file);
  }

  /**
   * Reads an ONNX classifier, e.g. one exported from PyTorch with {@code torch.onnx.export}, onto
   * {@code ops}; see {@link OnnxImport} for the operators it reads. The class names come from the
   * file's {@code class_names} metadata when present, else {@code 0..K-1}.
   *
   * @param ops the backend to run on (the caller keeps ownership)
   * @param file the ONNX file
   * @return the classifier
   * @throws IOException when the file cannot be read
   * @throws org.convcl.onnx.OnnxException when it holds an operator ConvCL has no layer for
   */
  public static Classifier importOnnx(Ops ops, Path file) throws IOException {
    OnnxImport.Imported m = OnnxImport.read(ops, file);
    return new Classifier(m.model(), m.classNames(), m.normalization(), 0, null);
  }

  private Map<String, String> settings() {
    return Map.of("model", model.spec(), "seed", Long.toString(seed));
  }

  /**
   * The model itself, for code that wants its layers or the op SPI; it stays owned by this
   * classifier.
   *
   * @return the model
   */
  public Sequential model() {
    return model;
  }

  /**
   * The class of each output.
   *
   * @return an unmodifiable list
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * The shape of one input image.
   *
   * @return {@code C x H x W}
   */
  public Shape inputShape() {
    return model.inputItem();
  }

  /**
   * The input normalisation: measured by {@link #fit}, loaded with a checkpoint, or the identity
   * scaling to [0, 1].
   *
   * @return the normalisation (its arrays are copies)
   */
  public Normalization normalization() {
    return norm;
  }

  /** Releases the model and, for a classifier from {@link #load(Path)}, its backend. */
  @Override
  public void close() {
    try {
      model.close();
    } finally {
      if (ownedOps != null) {
        ownedOps.close();
      }
    }
  }
}
