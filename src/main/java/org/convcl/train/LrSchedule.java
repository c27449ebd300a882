package org.convcl.train;

import java.util.Locale;
import org.convcl.tensor.Require;

/**
 * The learning rate over a run, from the base rate: {@code constant}; {@code step} (multiply by
 * {@code gamma} every {@code every} epochs); {@code cosine} (from base down to 0 over the run,
 * evaluated per step). Written {@code constant}, {@code step:EVERY:GAMMA} or {@code cosine}.
 */
public record LrSchedule(String kind, int every, float gamma) {

  public LrSchedule {
    Require.that(
        kind.equals("constant") || kind.equals("step") || kind.equals("cosine"),
        "lr schedule",
        kind,
        "must be constant, step[:EVERY[:GAMMA]] or cosine");
    Require.positive("lr step every (epochs)", every);
    Require.that(gamma > 0 && gamma <= 1, "lr step gamma", gamma, "must be in (0, 1]");
  }

  public static LrSchedule parse(String text) {
    String[] p = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
    if (p.length > 1 && !p[0].equals("step") || p.length > 3) {
      throw new IllegalArgumentException(
          "lr schedule = "
              + text
              + ": "
              + (p[0].equals("step")
                  ? "step takes at most EVERY and GAMMA"
                  : p[0] + " takes no parameters")
              + "; use constant, step:EVERY:GAMMA (e.g. step:5:0.5) or cosine");
    }
    try {
      int every = p.length > 1 ? Integer.parseInt(p[1]) : 5;
      float gamma = p.length > 2 ? Float.parseFloat(p[2]) : 0.5f;
      return new LrSchedule(p[0], every, gamma);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "lr schedule = " + text + ": step takes step:EVERY:GAMMA, e.g. step:5:0.5", e);
    }
  }

  /**
   * The rate for 0-based {@code epoch}, {@code fraction} of the way through it, of {@code epochs}.
   */
  public float at(float base, int epoch, double fraction, int epochs) {
    return switch (kind) {
      case "step" -> (float) (base * Math.pow(gamma, epoch / every));
      case "cosine" -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * (epoch + fraction) / epochs)));
      default -> base;
    };
  }

  /**
   * The rate of step {@code step} of {@code steps} in 0-based {@code epoch}, for a schedule planned
   * over {@code planned} epochs. A cosine run extended past its plan keeps the plan's last rate
   * instead of rising again, so its decay stays monotone.
   */
  public float at(float base, int epoch, int step, int steps, int planned) {
    if (kind.equals("cosine") && epoch >= planned) {
      return at(base, planned - 1, (double) (steps - 1) / steps, planned);
    }
    return at(base, epoch, (double) step / steps, planned);
  }

  @Override
  public String toString() {
    return kind.equals("step") ? "step:" + every + ":" + gamma : kind;
  }
}
