package org.convcl.onnx;

import static org.convcl.onnx.OnnxFields.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convcl.data.Normalization;
import org.convcl.nn.ActivationLayer;
import org.convcl.nn.AvgPool2d;
import org.convcl.nn.BatchNorm2d;
import org.convcl.nn.Conv2d;
import org.convcl.nn.Dense;
import org.convcl.nn.Flatten;
import org.convcl.nn.Layer;
import org.convcl.nn.MaxPool2d;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Activation;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;

/**
 * Reads an ONNX classifier into a ConvCL model: a chain of the nodes {@link OnnxExport} writes
 * ({@code Conv}, {@code MaxPool}, {@code AveragePool}, {@code Relu}, {@code LeakyRelu}, {@code
 * Tanh}, {@code Sigmoid}, {@code BatchNormalization}, {@code Flatten}, {@code Gemm}), as PyTorch's
 * {@code torch.onnx.export} writes them for such a network, plus {@code Reshape} to {@code [N, -1]}
 * (read as a flatten), {@code Identity}, {@code Dropout} and a final {@code Softmax} (inference
 * no-ops), and a leading {@code Sub}/{@code Div} by constants (read as the input normalisation).
 * Anything else is refused with the node's name and operator.
 */
public final class OnnxImport {
  private OnnxImport() {}

  /**
   * What an ONNX file held.
   *
   * @param model the rebuilt model, owned by the caller
   * @param normalization the leading Sub/Div as a normalisation, else the identity
   * @param classNames from the metadata entry {@code class_names}, else {@code 0..K-1}
   */
  public record Imported(Sequential model, Normalization normalization, List<String> classNames) {}

  /**
   * Reads {@code file} and builds its model on {@code ops}.
   *
   * @param ops the backend to build on
   * @param file an ONNX model whose graph input is {@code [N][C][H][W]}
   * @return the model, normalisation and class names
   * @throws IOException when the file cannot be read
   * @throws OnnxException when the file is not ONNX or holds a node ConvCL has no layer for
   */
  public static Imported read(Ops ops, Path file) throws IOException {
    return decode(ops, Files.readAllBytes(file));
  }

  /**
   * Builds the model the ONNX bytes describe; see {@link #read}.
   *
   * @param ops the backend to build on
   * @param onnx a serialised ModelProto
   * @return the model, normalisation and class names
   */
  public static Imported decode(Ops ops, byte[] onnx) {
    ProtoMessage model = ProtoMessage.parse(onnx);
    ProtoMessage graph = model.message(MODEL_GRAPH);
    if (graph == null) {
      throw new OnnxException("not an ONNX model: no graph");
    }
    Map<String, Constant> constants = new HashMap<>();
    for (ProtoMessage t : graph.messages(GRAPH_INITIALIZER)) {
      Constant c = Constant.of(t);
      constants.put(c.name, c);
    }
    List<ProtoMessage> inputs = graph.messages(GRAPH_INPUT);
    ProtoMessage input =
        inputs.stream()
            .filter(v -> !constants.containsKey(v.string(VALUE_NAME, "")))
            .findFirst()
            .orElseThrow(() -> new OnnxException("the graph has no input"));
    Shape item = itemShape(input);
    Chain chain = new Chain(input.string(VALUE_NAME, ""), item, constants);
    for (ProtoMessage n : graph.messages(GRAPH_NODE)) {
      chain.add(n);
    }
    chain.dropFlattensBeforeDense();
    Sequential m = Sequential.build(ops, item, chain.layers, 1);
    try {
      chain.writeWeights(m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return new Imported(m, chain.normalization(), classNames(model, m.outputItem().size()));
  }

  private static Shape itemShape(ProtoMessage valueInfo) {
    ProtoMessage type = valueInfo.message(VALUE_TYPE);
    ProtoMessage tensor = type == null ? null : type.message(TYPE_TENSOR);
    ProtoMessage shape = tensor == null ? null : tensor.message(TENSOR_TYPE_SHAPE);
    List<ProtoMessage> dims = shape == null ? List.of() : shape.messages(SHAPE_DIM);
    if (dims.size() != 4) {
      throw new OnnxException(
          "graph input "
              + valueInfo.string(VALUE_NAME, "")
              + ": must be [N][C][H][W], not rank "
              + dims.size());
    }
    int[] d = new int[3];
    for (int i = 0; i < 3; i++) {
      long v = dims.get(i + 1).varint(DIM_VALUE, -1);
      if (v < 1 || v > Integer.MAX_VALUE) {
        throw new OnnxException(
            "graph input dimension " + (i + 1) + " must be a fixed size, not " + v);
      }
      d[i] = (int) v;
    }
    return Shape.of(d);
  }

  private static List<String> classNames(ProtoMessage model, int k) {
    for (ProtoMessage e : model.messages(MODEL_METADATA_PROPS)) {
      if (e.string(ENTRY_KEY, "").equals("class_names")) {
        List<String> names = List.of(e.string(ENTRY_VALUE, "").split("\n", -1));
        if (names.size() == k) {
          return names;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  /** A float (or int64) initializer or Constant-node value. */
  private record Constant(String name, long[] dims, float[] floats, long[] ints) {
    static Constant of(ProtoMessage t) {
      String name = t.string(TENSOR_NAME, "");
      long type = t.varint(TENSOR_DATA_TYPE, 0);
      long[] dims = t.varints(TENSOR_DIMS);
      byte[] raw = t.bytes(TENSOR_RAW_DATA);
      if (type == TYPE_FLOAT) {
        float[] f =
            raw.length > 0 ? ProtoMessage.littleEndianFloats(raw) : t.floats(TENSOR_FLOAT_DATA);
        return new Constant(name, dims, f, null);
      }
      if (type == TYPE_INT64) {
        long[] v;
        if (raw.length > 0) {
          v = new long[raw.length / 8];
          java.nio.ByteBuffer.wrap(raw)
              .order(java.nio.ByteOrder.LITTLE_ENDIAN)
              .asLongBuffer()
              .get(v);
        } else {
          v = t.varints(TENSOR_INT64_DATA);
        }
        return new Constant(name, dims, null, v);
      }
      return new Constant(name, dims, null, null);
    }

    long size() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  /** The layers read so far, the tensor the next node must consume, and each layer's weights. */
  private static final class Chain {
    final List<Layer> layers = new ArrayList<>();
    final List<Map<String, Constant>> weights = new ArrayList<>();
    final Map<String, Constant> constants;
    final int channels;
    String current;
    float[] mean;
    float[] std;

    Chain(String input, Shape item, Map<String, Constant> constants) {
      this.current = input;
      this.channels = item.dim(0);
      this.constants = constants;
    }

    void add(ProtoMessage n) {
      String op = n.string(NODE_OP_TYPE, "");
      String where = "node " + n.string(NODE_NAME, "?") + " (" + op + ")";
      List<String> in = n.strings(NODE_INPUT);
      List<String> out = n.strings(NODE_OUTPUT);
      if (op.equals("Constant")) {
        for (ProtoMessage a : n.messages(NODE_ATTRIBUTE)) {
          if (a.string(ATTR_NAME, "").equals("value")) {
            Constant c = Constant.of(a.message(ATTR_T));
            constants.put(out.get(0), new Constant(out.get(0), c.dims, c.floats, c.ints));
          }
        }
        return;
      }
      if (in.isEmpty() || !in.get(0).equals(current)) {
        throw new OnnxException(
            where + ": the graph is not a chain (its input is not " + current + ")");
      }
      Attributes a = new Attributes(n);
      switch (op) {
        case "Sub", "Div" -> normalization(where, op, in);
        case "Conv" -> conv(where, in, a);
        case "MaxPool", "AveragePool" -> pool(where, op, a);
        case "Relu" -> plain(new ActivationLayer(Activation.RELU));
        case "LeakyRelu" ->
            plain(new ActivationLayer(Activation.leakyRelu(a.real("alpha", 0.01f))));
        case "Tanh" -> plain(new ActivationLayer(Activation.TANH));
        case "Sigmoid" -> plain(new ActivationLayer(Activation.SIGMOID));
        case "Flatten" -> flatten(where, a.integer("axis", 1));
        case "Reshape" -> reshape(where, in);
        case "Gemm" -> gemm(where, in, a);
        case "BatchNormalization" -> batchNorm(where, in, a);
        case "Identity", "Dropout", "Softmax" -> {}
        default -> throw new OnnxException(where + ": operator " + op + " has no ConvCL layer");
      }
      current = out.get(0);
    }

    private void plain(Layer l) {
      layers.add(l);
      weights.add(Map.of());
    }

    private Constant constant(String where, String name) {
      Constant c = constants.get(name);
      if (c == null) {
        throw new OnnxException(where + ": input " + name + " must be a constant");
      }
      return c;
    }

    private void normalization(String where, String op, List<String> in) {
      Constant c = constant(where, in.get(1));
      if (!layers.isEmpty() || c.floats == null || c.floats.length != channels) {
        throw new OnnxException(
            where + ": only a per-channel Sub/Div before the first layer is read");
      }
      if (op.equals("Sub") && mean == null && std == null) {
        mean = c.floats.clone();
      } else if (op.equals("Div") && std == null) {
        std = c.floats.clone();
      } else {
        throw new OnnxException(where + ": expected Sub by the mean, then Div by the deviation");
      }
    }

    Normalization normalization() {
      Normalization identity = Normalization.identity(channels);
      return new Normalization(
          mean == null ? identity.mean() : mean, std == null ? identity.std() : std);
    }

    private void conv(String where, List<String> in, Attributes a) {
      Constant w = constant(where, in.get(1));
      if (w.dims.length != 4) {
        throw new OnnxException(where + ": weights must be [K][C][R][S]");
      }
      if (a.integer("group", 1) != 1) {
        throw new OnnxException(where + ": grouped convolutions are not supported");
      }
      a.requireNoAutoPad(where);
      long[] k = a.ints("kernel_shape", w.dims[2], w.dims[3]);
      long[] s = a.ints("strides", 1, 1);
      long[] d = a.ints("dilations", 1, 1);
      Padding p = a.pads(where);
      boolean bias = in.size() > 2 && !in.get(2).isEmpty();
      ConvParams params =
          new ConvParams(
              (int) k[0], (int) k[1], (int) s[0], (int) s[1], p, (int) d[0], (int) d[1], 1, bias);
      layers.add(new Conv2d((int) w.dims[0], params));
      Map<String, Constant> ws = new HashMap<>(Map.of("weights", w));
      if (bias) {
        ws.put("bias", constant(where, in.get(2)));
      }
      weights.add(ws);
    }

    private void pool(String where, String op, Attributes a) {
      a.requireNoAutoPad(where);
      long[] k = a.ints("kernel_shape");
      long[] s = a.ints("strides", 1, 1);
      Padding p = a.pads(where);
      if (k.length != 2 || a.integer("ceil_mode", 0) != 0) {
        throw new OnnxException(where + ": only 2-D windows in floor mode are supported");
      }
      boolean avg = op.equals("AveragePool");
      boolean includePad = avg && a.integer("count_include_pad", 0) == 1;
      if (avg && !includePad && !p.equals(Padding.NONE)) {
        throw new OnnxException(
            where
                + ": padded averages that leave the padding out of the divisor have no spec form");
      }
      PoolParams q = new PoolParams((int) k[0], (int) k[1], (int) s[0], (int) s[1], p, false, true);
      plain(avg ? new AvgPool2d(q) : new MaxPool2d(q));
    }

    private void flatten(String where, long axis) {
      if (axis != 1) {
        throw new OnnxException(where + ": only Flatten with axis 1 (keep the batch) is supported");
      }
      plain(new Flatten());
    }

    private void reshape(String where, List<String> in) {
      Constant shape = constant(where, in.get(1));
      boolean flat =
          shape.ints != null
              && shape.ints.length == 2
              && (shape.ints[0] == -1 || shape.ints[0] == 0 || shape.ints[1] == -1);
      if (!flat) {
        throw new OnnxException(where + ": only a reshape to [batch, features] is supported");
      }
      plain(new Flatten());
    }

    private void gemm(String where, List<String> in, Attributes a) {
      if (a.real("alpha", 1f) != 1f || a.real("beta", 1f) != 1f || a.integer("transA", 0) != 0) {
        throw new OnnxException(
            where + ": only Gemm with alpha = beta = 1 and transA = 0 is supported");
      }
      Constant w = constant(where, in.get(1));
      if (w.dims.length != 2 || in.size() < 3) {
        throw new OnnxException(where + ": needs a 2-D weight and a bias");
      }
      boolean transB = a.integer("transB", 0) == 1;
      int outF = (int) (transB ? w.dims[0] : w.dims[1]);
      int inF = (int) (transB ? w.dims[1] : w.dims[0]);
      Constant oriented = transB ? w : transpose(w, inF, outF);
      layers.add(new Dense(outF));
      weights.add(Map.of("weights", oriented, "bias", constant(where, in.get(2))));
    }

    private static Constant transpose(Constant w, int rows, int cols) {
      float[] t = new float[rows * cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          t[c * rows + r] = w.floats[r * cols + c];
        }
      }
      return new Constant(w.name, new long[] {cols, rows}, t, null);
    }

    private void batchNorm(String where, List<String> in, Attributes a) {
      float eps = a.real("epsilon", 1e-5f);
      if (Math.abs(eps - BatchNormConfig.DEFAULT.epsilon()) > 1e-9f) {
        throw new OnnxException(where + ": epsilon " + eps + " differs from the bn layer's 1e-5");
      }
      layers.add(new BatchNorm2d(BatchNormConfig.DEFAULT));
      weights.add(
          Map.of(
              "gamma", constant(where, in.get(1)),
              "beta", constant(where, in.get(2)),
              "runningMean", constant(where, in.get(3)),
              "runningVar", constant(where, in.get(4))));
    }

    /**
     * A dense layer reads any input as {@code [N][features]}, so a flatten right before one (as
     * ONNX's Gemm needs) is dropped: the model reads as its spec would be written.
     */
    void dropFlattensBeforeDense() {
      for (int i = layers.size() - 2; i >= 0; i--) {
        if (layers.get(i) instanceof Flatten && layers.get(i + 1) instanceof Dense) {
          layers.remove(i);
          weights.remove(i);
        }
      }
    }

    /** Writes every layer's ONNX tensors into the built model, checking each size. */
    void writeWeights(Sequential m) {
      Ops ops = m.ops();
      for (int i = 0; i < layers.size(); i++) {
        Layer l = layers.get(i);
        List<Param> all = new ArrayList<>(l.params());
        all.addAll(l.buffers());
        for (Param p : all) {
          Constant c = weights.get(i).get(p.name());
          if (c == null || c.floats == null) {
            throw new OnnxException(
                "layer " + i + " (" + l.spec() + "): no float tensor for " + p.name());
          }
          if (c.size() != p.value().shape().size() || c.floats.length != c.size()) {
            throw new OnnxException(
                "layer "
                    + i
                    + " ("
                    + l.spec()
                    + ") "
                    + p.name()
                    + ": ONNX tensor "
                    + c.name
                    + " has "
                    + c.floats.length
                    + " values, the layer needs "
                    + p.value().shape());
          }
          ops.write(p.value(), c.floats);
        }
      }
    }
  }

  /** A node's attributes by name. */
  private static final class Attributes {
    private final Map<String, ProtoMessage> byName = new HashMap<>();

    Attributes(ProtoMessage node) {
      for (ProtoMessage a : node.messages(NODE_ATTRIBUTE)) {
        byName.put(a.string(ATTR_NAME, ""), a);
      }
    }

    long integer(String name, long dflt) {
      ProtoMessage a = byName.get(name);
      return a == null ? dflt : a.varint(ATTR_I, dflt);
    }

    float real(String name, float dflt) {
      ProtoMessage a = byName.get(name);
      return a == null ? dflt : a.float32(ATTR_F, dflt);
    }

    long[] ints(String name, long... dflt) {
      ProtoMessage a = byName.get(name);
      return a == null ? dflt : a.varints(ATTR_INTS);
    }

    /** ONNX pads [top, left, bottom, right]; ConvCL's layers need top = bottom, left = right. */
    Padding pads(String where) {
      long[] p = ints("pads", 0, 0, 0, 0);
      if (p.length != 4) {
        throw new OnnxException(where + ": pads must have 4 values");
      }
      return new Padding((int) p[0], (int) p[2], (int) p[1], (int) p[3]);
    }

    void requireNoAutoPad(String where) {
      ProtoMessage a = byName.get("auto_pad");
      String v =
          a == null ? "NOTSET" : new String(a.bytes(4), java.nio.charset.StandardCharsets.UTF_8);
      if (!v.equals("NOTSET") && !v.equals("VALID") && !v.isEmpty()) {
        throw new OnnxException(
            where + ": auto_pad " + v.toLowerCase(Locale.ROOT) + " is not supported");
      }
    }
  }
}
