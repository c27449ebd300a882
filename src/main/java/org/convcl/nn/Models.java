package org.convcl.nn;

import java.util.Map;
import org.convcl.tensor.Shape;

/** The built-in architectures, by name; any other name is read as a spec. */
public final class Models {
  /** LeNet-style network for 28x28 grey digits. */
  public static final String LENET =
      "conv5x5x20-relu-maxpool2-conv5x5x50-relu-maxpool2-dense500-relu-dense10";

  /** A small VGG-style network for 32x32 colour images (CIFAR-10). */
  public static final String CIFAR =
      "conv3x3x32p1-bn-relu-maxpool2-conv3x3x64p1-bn-relu-maxpool2"
          + "-conv3x3x128p1-bn-relu-maxpool2-dense256-relu-dropout0.5-dense10";

  private static final Map<String, Entry> BUILT_IN =
      Map.of(
          "lenet", new Entry(LENET, Shape.of(1, 28, 28)),
          "cifar", new Entry(CIFAR, Shape.of(3, 32, 32)),
          "cifar10", new Entry(CIFAR, Shape.of(3, 32, 32)));

  /** A spec with the input shape it was designed for. */
  public record Entry(String spec, Shape input) {}

  private Models() {}

  /** The spec of a built-in model, or {@code nameOrSpec} itself when it is not a built-in name. */
  public static String spec(String nameOrSpec) {
    Entry e = BUILT_IN.get(nameOrSpec.trim().toLowerCase(java.util.Locale.ROOT));
    return e == null ? nameOrSpec.trim() : e.spec();
  }

  public static boolean isBuiltIn(String name) {
    return BUILT_IN.containsKey(name.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** The designed input of a built-in model; null for a spec. */
  public static Shape designedInput(String name) {
    Entry e = BUILT_IN.get(name.trim().toLowerCase(java.util.Locale.ROOT));
    return e == null ? null : e.input();
  }
}
