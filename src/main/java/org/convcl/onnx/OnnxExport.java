package org.convcl.onnx;

import static org.convcl.onnx.OnnxFields.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convcl.data.Normalization;
import org.convcl.nn.ActivationLayer;
import org.convcl.nn.AvgPool2d;
import org.convcl.nn.BatchNorm2d;
import org.convcl.nn.Conv2d;
import org.convcl.nn.Dense;
import org.convcl.nn.Dropout;
import org.convcl.nn.Flatten;
import org.convcl.nn.Layer;
import org.convcl.nn.MaxPool2d;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;

/**
 * Writes a model as an ONNX file (opset 13) that any ONNX runtime can run in inference mode. The
 * graph's input {@code pixels} is {@code [batch][C][H][W]} with pixels scaled to [0, 1]; it first
 * applies the classifier's normalisation ({@code Sub} mean, {@code Div} std), then one node per
 * layer: {@code Conv}, {@code MaxPool}, {@code AveragePool}, {@code Relu}, {@code LeakyRelu},
 * {@code Tanh}, {@code Sigmoid}, {@code BatchNormalization} (running statistics), {@code Flatten}
 * and {@code Gemm} for dense layers, {@code Identity} for dropout. The output {@code logits} is
 * {@code [batch][classes]}; the class names are in the metadata entry {@code class_names}, one per
 * line.
 */
public final class OnnxExport {
  /** The ONNX opset the graph is written for. */
  public static final int OPSET = 13;

  private static final int IR_VERSION = 8;

  private OnnxExport() {}

  /**
   * Writes {@code model} as ONNX.
   *
   * @param model the model (its weights are read from its backend)
   * @param norm the input normalisation, exported as the graph's first two nodes
   * @param classNames the class of each output
   * @param file where to write
   * @throws IOException when the file cannot be written
   */
  public static void write(Sequential model, Normalization norm, List<String> classNames, Path file)
      throws IOException {
    Files.write(file, encode(model, norm, classNames));
  }

  /**
   * The ONNX bytes of {@code model}; see {@link #write}.
   *
   * @param model the model
   * @param norm the input normalisation
   * @param classNames the class of each output
   * @return the serialised ModelProto
   */
  public static byte[] encode(Sequential model, Normalization norm, List<String> classNames) {
    Graph g = new Graph(model.ops());
    Shape item = model.inputItem();
    int c = item.dim(0);
    String x = "pixels";
    x = g.node("Sub", List.of(x, g.constant("input_mean", Shape.of(1, c, 1, 1), norm.mean())));
    x = g.node("Div", List.of(x, g.constant("input_std", Shape.of(1, c, 1, 1), norm.std())));
    Shape shape = item;
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      x = layer(g, i, l, x, shape);
      shape = l.outputItem(shape);
    }
    g.rename(x, "logits");
    ProtoWriter graph = new ProtoWriter();
    g.protos().forEach(n -> graph.message(GRAPH_NODE, n));
    graph.string(GRAPH_NAME, "convcl");
    g.initializers.forEach(t -> graph.message(GRAPH_INITIALIZER, t));
    graph.message(GRAPH_INPUT, valueInfo("pixels", item));
    graph.message(GRAPH_OUTPUT, valueInfo("logits", model.outputItem()));
    return new ProtoWriter()
        .varint(MODEL_IR_VERSION, IR_VERSION)
        .string(MODEL_PRODUCER_NAME, "convcl")
        .string(MODEL_PRODUCER_VERSION, "0.1.0")
        .message(MODEL_GRAPH, graph)
        .message(
            MODEL_OPSET_IMPORT,
            new ProtoWriter().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, OPSET))
        .message(MODEL_METADATA_PROPS, entry("convcl_spec", model.spec()))
        .message(MODEL_METADATA_PROPS, entry("class_names", String.join("\n", classNames)))
        .toByteArray();
  }

  private static String layer(Graph g, int i, Layer l, String x, Shape in) {
    String p = i + "." + l.spec();
    if (l instanceof Conv2d conv) {
      ConvParams c = conv.convParams();
      if (c.groups() != 1) {
        throw new OnnxException("layer " + p + ": grouped convolutions are not exported");
      }
      List<String> inputs = new ArrayList<>(List.of(x, g.param(p, l, "weights")));
      if (c.bias()) {
        inputs.add(g.param(p, l, "bias"));
      }
      return g.node(
          "Conv",
          inputs,
          ints("kernel_shape", c.kernelH(), c.kernelW()),
          ints("strides", c.strideH(), c.strideW()),
          pads(c.padding()),
          ints("dilations", c.dilationH(), c.dilationW()),
          integer("group", 1));
    }
    if (l instanceof MaxPool2d pool) {
      PoolParams q = pool.poolParams();
      return g.node("MaxPool", List.of(x), poolAttributes(q).toArray(ProtoWriter[]::new));
    }
    if (l instanceof AvgPool2d pool) {
      PoolParams q = pool.poolParams();
      List<ProtoWriter> a = poolAttributes(q);
      a.add(integer("count_include_pad", q.countIncludePad() ? 1 : 0));
      return g.node("AveragePool", List.of(x), a.toArray(ProtoWriter[]::new));
    }
    if (l instanceof ActivationLayer act) {
      return switch (act.function().kind()) {
        case RELU -> g.node("Relu", List.of(x));
        case LEAKY_RELU -> g.node("LeakyRelu", List.of(x), real("alpha", act.function().alpha()));
        case TANH -> g.node("Tanh", List.of(x));
        case SIGMOID -> g.node("Sigmoid", List.of(x));
      };
    }
    if (l instanceof Flatten) {
      return g.node("Flatten", List.of(x), integer("axis", 1));
    }
    if (l instanceof Dense) {
      String flat = in.rank() == 1 ? x : g.node("Flatten", List.of(x), integer("axis", 1));
      return g.node(
          "Gemm",
          List.of(flat, g.param(p, l, "weights"), g.param(p, l, "bias")),
          integer("transB", 1));
    }
    if (l instanceof Dropout) {
      return g.node("Identity", List.of(x));
    }
    if (l instanceof BatchNorm2d bn) {
      return g.node(
          "BatchNormalization",
          List.of(
              x,
              g.param(p, l, "gamma"),
              g.param(p, l, "beta"),
              g.param(p, l, "runningMean"),
              g.param(p, l, "runningVar")),
          real("epsilon", bn.config().epsilon()));
    }
    throw new OnnxException("layer " + p + ": no ONNX form for " + l.getClass().getSimpleName());
  }

  private static List<ProtoWriter> poolAttributes(PoolParams q) {
    return new ArrayList<>(
        List.of(
            ints("kernel_shape", q.kernelH(), q.kernelW()),
            ints("strides", q.strideH(), q.strideW()),
            pads(q.padding()),
            integer("ceil_mode", q.ceilMode() ? 1 : 0)));
  }

  /** ONNX orders pads as all the starts, then all the ends: top, left, bottom, right. */
  private static ProtoWriter pads(Padding p) {
    return ints("pads", p.top(), p.left(), p.bottom(), p.right());
  }

  private static ProtoWriter ints(String name, long... v) {
    return new ProtoWriter()
        .string(ATTR_NAME, name)
        .packedVarints(ATTR_INTS, v)
        .varint(ATTR_TYPE, ATTR_TYPE_INTS);
  }

  private static ProtoWriter integer(String name, long v) {
    return new ProtoWriter()
        .string(ATTR_NAME, name)
        .varint(ATTR_I, v)
        .varint(ATTR_TYPE, ATTR_TYPE_INT);
  }

  private static ProtoWriter real(String name, float v) {
    return new ProtoWriter()
        .string(ATTR_NAME, name)
        .float32(ATTR_F, v)
        .varint(ATTR_TYPE, ATTR_TYPE_FLOAT);
  }

  private static ProtoWriter entry(String key, String value) {
    return new ProtoWriter().string(ENTRY_KEY, key).string(ENTRY_VALUE, value);
  }

  /** A float tensor's name, element type and shape; the first dimension is the symbolic batch. */
  private static ProtoWriter valueInfo(String name, Shape item) {
    ProtoWriter shape = new ProtoWriter();
    shape.message(SHAPE_DIM, new ProtoWriter().string(DIM_PARAM, "batch"));
    for (int d : item.dims()) {
      shape.message(SHAPE_DIM, new ProtoWriter().varint(DIM_VALUE, d));
    }
    ProtoWriter tensor =
        new ProtoWriter().varint(TENSOR_TYPE_ELEM, TYPE_FLOAT).message(TENSOR_TYPE_SHAPE, shape);
    return new ProtoWriter()
        .string(VALUE_NAME, name)
        .message(VALUE_TYPE, new ProtoWriter().message(TYPE_TENSOR, tensor));
  }

  /** One node before it is written: its inputs and output can still be renamed. */
  private record Node(String op, List<String> inputs, String output, List<ProtoWriter> attributes) {
    Node renamed(String from, String to) {
      List<String> in = inputs.stream().map(n -> n.equals(from) ? to : n).toList();
      return new Node(op, in, output.equals(from) ? to : output, attributes);
    }

    ProtoWriter proto(int index) {
      ProtoWriter w = new ProtoWriter();
      inputs.forEach(n -> w.string(NODE_INPUT, n));
      w.string(NODE_OUTPUT, output).string(NODE_NAME, op + "_" + index).string(NODE_OP_TYPE, op);
      attributes.forEach(a -> w.message(NODE_ATTRIBUTE, a));
      return w;
    }
  }

  /** The nodes and initializers being written, with fresh names for intermediate tensors. */
  private static final class Graph {
    final Ops ops;
    final List<Node> nodes = new ArrayList<>();
    final List<ProtoWriter> initializers = new ArrayList<>();

    Graph(Ops ops) {
      this.ops = ops;
    }

    String constant(String name, Shape shape, float[] data) {
      ProtoWriter t = new ProtoWriter();
      for (int d : shape.dims()) {
        t.varint(TENSOR_DIMS, d);
      }
      t.varint(TENSOR_DATA_TYPE, TYPE_FLOAT)
          .string(TENSOR_NAME, name)
          .bytes(TENSOR_RAW_DATA, ProtoWriter.littleEndian(data));
      initializers.add(t);
      return name;
    }

    /**
     * The layer's parameter (or buffer) {@code name}, as an initializer named {@code prefix.name}.
     */
    String param(String prefix, Layer l, String name) {
      List<Param> all = new ArrayList<>(l.params());
      all.addAll(l.buffers());
      for (Param p : all) {
        if (p.name().equals(name)) {
          return constant(prefix + "." + name, p.value().shape(), ops.read(p.value()));
        }
      }
      throw new OnnxException("layer " + prefix + " has no parameter " + name);
    }

    /** Adds a node and returns the name of its output. */
    String node(String op, List<String> inputs, ProtoWriter... attributes) {
      String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + nodes.size();
      nodes.add(new Node(op, List.copyOf(inputs), out, List.of(attributes)));
      return out;
    }

    /** Renames a tensor everywhere (the last output becomes the graph's {@code logits}). */
    void rename(String from, String to) {
      nodes.replaceAll(n -> n.renamed(from, to));
    }

    List<ProtoWriter> protos() {
      List<ProtoWriter> out = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        out.add(nodes.get(i).proto(i));
      }
      return out;
    }
  }
}
