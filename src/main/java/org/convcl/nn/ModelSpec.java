package org.convcl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convcl.ops.Activation;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;

/**
 * The compact text form of a model: tokens joined by {@code -}, e.g. {@code
 * conv5x5x20-relu-maxpool2-conv5x5x50-relu-maxpool2-dense500-relu-dense10}. The grammar is in
 * docs/model-spec.md; every error names the offending token and underlines it.
 */
public final class ModelSpec {
  private static final String PAIR = "(\\d+)(?:x(\\d+))?";
  private static final Pattern CONV =
      Pattern.compile(
          "conv(\\d+)x(\\d+)x(\\d+)(?:s"
              + PAIR
              + ")?(?:p"
              + PAIR
              + ")?(?:d"
              + PAIR
              + ")?(nobias)?");
  private static final Pattern POOL =
      Pattern.compile("(max|avg)pool" + PAIR + "(?:s" + PAIR + ")?(?:p" + PAIR + ")?");
  private static final Pattern DENSE = Pattern.compile("dense(\\d+)");
  private static final Pattern LRELU = Pattern.compile("lrelu([0-9.]+)?");
  private static final Pattern DROPOUT = Pattern.compile("dropout([0-9.]+)?");

  private ModelSpec() {}

  /** Fresh, unbuilt layers for {@code spec}. */
  public static List<Layer> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new SpecException("" + spec, 1, 0, "", "the spec is empty");
    }
    List<Layer> layers = new ArrayList<>();
    int column = 0;
    String[] tokens = spec.split("-", -1);
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      try {
        layers.add(layer(token.trim()));
      } catch (IllegalArgumentException e) {
        throw new SpecException(spec, i + 1, column, token, e.getMessage(), e);
      }
      column += token.length() + 1;
    }
    return layers;
  }

  /** Parses and builds; a layer that does not fit its input is reported at its token. */
  public static Sequential build(Ops ops, String spec, Shape inputItem, long seed) {
    List<Layer> layers = parse(spec);
    return atToken(spec, inputItem, () -> Sequential.build(ops, inputItem, layers, seed));
  }

  /**
   * The summary of {@code spec} on {@code inputItem} from shapes alone (no weights are made); a
   * layer that does not fit is reported at its token, as by {@link #build}.
   */
  public static ModelSummary summary(String spec, Shape inputItem) {
    List<Layer> layers = parse(spec);
    return atToken(spec, inputItem, () -> ModelSummary.of(inputItem, layers));
  }

  private static <T> T atToken(String spec, Shape inputItem, Supplier<T> step) {
    try {
      return step.get();
    } catch (LayerBuildException e) {
      String[] tokens = spec.split("-", -1);
      int column = 0;
      for (int i = 0; i < e.layerIndex(); i++) {
        column += tokens[i].length() + 1;
      }
      String problem = e.problem() + " (input " + inputItem + ")";
      throw new SpecException(spec, e.layerIndex() + 1, column, tokens[e.layerIndex()], problem, e);
    }
  }

  private static Layer layer(String t) {
    if (t.isEmpty()) {
      throw new IllegalArgumentException("is empty (two '-' in a row, or a '-' at an end?)");
    }
    switch (t) {
      case "relu":
        return new ActivationLayer(Activation.RELU);
      case "tanh":
        return new ActivationLayer(Activation.TANH);
      case "sigmoid":
        return new ActivationLayer(Activation.SIGMOID);
      case "flatten":
        return new Flatten();
      case "bn":
      case "batchnorm":
        return new BatchNorm2d(BatchNormConfig.DEFAULT);
      default:
        return parameterised(t);
    }
  }

  private static Layer parameterised(String t) {
    Matcher m;
    if ((m = CONV.matcher(t)).matches()) {
      return conv(m);
    }
    if ((m = POOL.matcher(t)).matches()) {
      return pool(m);
    }
    if ((m = DENSE.matcher(t)).matches()) {
      return new Dense(integer(m.group(1)));
    }
    if ((m = LRELU.matcher(t)).matches()) {
      return new ActivationLayer(Activation.leakyRelu(number(m.group(1), 0.01f)));
    }
    if ((m = DROPOUT.matcher(t)).matches()) {
      return new Dropout(number(m.group(1), 0.5f));
    }
    throw new IllegalArgumentException(hint(t));
  }

  private static Layer conv(Matcher m) {
    ConvParams p =
        new ConvParams(
            integer(m.group(1)),
            integer(m.group(2)),
            first(m, 4, 1),
            second(m, 4, 1),
            Padding.of(first(m, 6, 0), second(m, 6, 0)),
            first(m, 8, 1),
            second(m, 8, 1),
            1,
            m.group(10) == null);
    return new Conv2d(integer(m.group(3)), p);
  }

  private static Layer pool(Matcher m) {
    int kh = integer(m.group(2));
    int kw = m.group(3) == null ? kh : integer(m.group(3));
    int sh = m.group(4) == null ? kh : integer(m.group(4));
    int sw = m.group(4) == null ? kw : second(m, 4, 0);
    Padding pad = Padding.of(first(m, 6, 0), second(m, 6, 0));
    PoolParams p = new PoolParams(kh, kw, sh, sw, pad, false, true);
    return m.group(1).equals("max") ? new MaxPool2d(p) : new AvgPool2d(p);
  }

  /** Group {@code g} as an int, or {@code dflt} when absent. */
  private static int first(Matcher m, int g, int dflt) {
    return m.group(g) == null ? dflt : integer(m.group(g));
  }

  /** Group {@code g+1} (the part after x), falling back to group {@code g}, then {@code dflt}. */
  private static int second(Matcher m, int g, int dflt) {
    return m.group(g + 1) != null ? integer(m.group(g + 1)) : first(m, g, dflt);
  }

  private static int integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("number " + s + " is too large", e);
    }
  }

  private static float number(String s, float dflt) {
    if (s == null) {
      return dflt;
    }
    try {
      return Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" is not a number", e);
    }
  }

  private static String hint(String t) {
    if (t.startsWith("conv")) {
      return "a convolution is conv<R>x<S>x<K>[s<stride>][p<pad>][d<dilation>][nobias],"
          + " e.g. conv5x5x20 or conv3x3x32p1";
    }
    if (t.startsWith("maxpool") || t.startsWith("avgpool")) {
      return "a pool is maxpool<size>[s<stride>][p<pad>] or avgpool..., e.g. maxpool2";
    }
    if (t.startsWith("dense")) {
      return "a dense layer is dense<outputs>, e.g. dense10";
    }
    return "unknown layer; expected one of conv, maxpool, avgpool, dense, relu, lrelu, tanh,"
        + " sigmoid, flatten, dropout, bn (see docs/model-spec.md)";
  }
}
