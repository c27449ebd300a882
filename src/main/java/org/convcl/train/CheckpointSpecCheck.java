package org.convcl.train;

import java.nio.file.Path;
import java.util.List;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.ModelSummary;

/**
 * Checks a decoded checkpoint against its own spec before anyone builds that model: the spec must
 * parse and fit the stored input shape, every tensor must have a known role ({@code param/}, {@code
 * buffer/}, {@code optim/}), and the {@code param/} tensors of each layer must hold exactly the
 * parameters the spec declares for it. The declared counts come from shapes alone ({@link
 * ModelSummary}), so a small file that declares a huge model is refused without allocating it.
 */
final class CheckpointSpecCheck {
  private static final List<String> ROLES = List.of("param/", "buffer/", "optim/");

  private CheckpointSpecCheck() {}

  static void require(Path file, Checkpoint c) throws CheckpointException {
    ModelSummary summary;
    try {
      summary = ModelSpec.summary(c.spec(), c.inputItem());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, "its model spec is not valid: " + e.getMessage(), e);
    }
    List<ModelSummary.Row> rows = summary.rows();
    long[] stored = new long[rows.size()];
    for (NamedArray a : c.tensors()) {
      String role = role(file, a.name());
      if (role.equals("param/")) {
        stored[layerIndex(file, a.name(), rows.size())] += a.shape().size();
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      if (stored[i] != rows.get(i).params()) {
        throw new CheckpointException(
            file,
            String.format(
                "its spec declares %,d parameters for layer %d (%s) but the file holds %,d; the"
                    + " spec %s needs %,d parameters (%,d bytes) in all and the file has %,d"
                    + " tensors",
                rows.get(i).params(),
                i,
                rows.get(i).layer(),
                stored[i],
                c.spec(),
                summary.totalParams(),
                4 * summary.totalParams(),
                c.tensors().size()));
      }
    }
  }

  private static String role(Path file, String name) throws CheckpointException {
    for (String r : ROLES) {
      if (name.startsWith(r)) {
        return r;
      }
    }
    throw new CheckpointException(
        file, "tensor " + name + " has an unknown role (expected param/, buffer/ or optim/)");
  }

  /** The layer index of {@code param/<index>.<token>.<name>}, which the spec must have. */
  private static int layerIndex(Path file, String name, int layers) throws CheckpointException {
    String rest = name.substring("param/".length());
    int dot = rest.indexOf('.');
    try {
      int i = Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot));
      if (i >= 0 && i < layers) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CheckpointException(
        file, "tensor " + name + " belongs to no layer of the spec (" + layers + " layers)");
  }
}
