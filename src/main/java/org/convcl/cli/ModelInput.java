package org.convcl.cli;

import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Shapes;
import org.convcl.tensor.Shape;

/**
 * A model named by {@code --model} (a built-in name or a spec) with its per-image input shape:
 * {@code --input} when given, else the built-in's designed input, else 3x32x32. Both are checked
 * here, so a bad one is a usage error naming the option.
 */
record ModelInput(String spec, Shape item) {
  static ModelInput resolve(String model, String input) {
    String spec = Models.spec(model);
    UsageException.from(() -> ModelSpec.parse(spec));
    Shape designed = Models.designedInput(model);
    String in = input != null ? input : designed != null ? designed.toString() : "3x32x32";
    return new ModelInput(spec, UsageException.parsing("--input", in, () -> Shapes.parse(in)));
  }
}
