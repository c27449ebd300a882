package org.convcl.train;

import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/** A host copy of one named tensor, as stored in a checkpoint. */
public record NamedArray(String name, Shape shape, float[] data) {
  public NamedArray {
    Require.that(
        data.length == shape.size(), "tensor " + name + " length", data.length, "must be " + shape);
  }
}
