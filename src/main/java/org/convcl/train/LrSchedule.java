package org.convcl.train;

import java.util.Locale;
import org.convcl.tensor.Require;

/**
 * The learning rate over a run, from the base rate: {@link #constant()}; {@link #step(int, double)}
 * (multiply by {@code gamma} every {@code every} epochs); {@link #cosine()} (from base down to 0
 * over the run, evaluated per step); {@link #plateau(int, double)} (multiply by {@code factor}
 * whenever the held-out metric has not improved for {@code patience} epochs). Any of them can start
 * with a linear warm-up ({@link #withWarmup(int)}). As text: {@code constant}, {@code
 * step:EVERY:GAMMA}, {@code cosine}, {@code plateau:PATIENCE:FACTOR}, each optionally followed by
 * {@code +warmup:EPOCHS}, e.g. {@code cosine+warmup:1}.
 *
 * @param kind the shape of the schedule
 * @param every epochs between two steps ({@link Kind#STEP}); plateau patience ({@link
 *     Kind#PLATEAU})
 * @param gamma the factor of each step or plateau reduction, in (0, 1]
 * @param warmupEpochs epochs of linear warm-up from base/steps to base (0: none)
 */
public record LrSchedule(Kind kind, int every, float gamma, int warmupEpochs) {

  /** The shapes a schedule can take. */
  public enum Kind {
    /** The base rate throughout. */
    CONSTANT,
    /** The base rate times gamma to the power (epoch / every). */
    STEP,
    /** A half cosine from the base rate down to 0 over the planned epochs. */
    COSINE,
    /** The base rate, reduced by gamma after every {@code every} epochs without improvement. */
    PLATEAU
  }

  /**
   * Checks the settings; the message names the setting and its value.
   *
   * @param kind the shape of the schedule
   * @param every epochs between steps, or the plateau patience; at least 1
   * @param gamma the factor of each reduction, in (0, 1]
   * @param warmupEpochs epochs of linear warm-up, at least 0
   */
  public LrSchedule {
    Require.that(kind != null, "lr schedule", null, "must be given");
    Require.positive(kind == Kind.PLATEAU ? "lr plateau patience" : "lr step every", every);
    Require.that(gamma > 0 && gamma <= 1, "lr schedule factor", gamma, "must be in (0, 1]");
    Require.nonNegative("lr warm-up epochs", warmupEpochs);
  }

  /**
   * The base rate throughout.
   *
   * @return the schedule
   */
  public static LrSchedule constant() {
    return new LrSchedule(Kind.CONSTANT, 1, 1f, 0);
  }

  /**
   * The base rate times {@code gamma} every {@code every} epochs.
   *
   * @param every epochs between two reductions, at least 1
   * @param gamma the factor, in (0, 1]
   * @return the schedule
   */
  public static LrSchedule step(int every, double gamma) {
    return new LrSchedule(Kind.STEP, every, (float) gamma, 0);
  }

  /**
   * A half cosine from the base rate down to 0 over the run.
   *
   * @return the schedule
   */
  public static LrSchedule cosine() {
    return new LrSchedule(Kind.COSINE, 1, 1f, 0);
  }

  /**
   * Reduce on plateau: the rate is multiplied by {@code factor} whenever the monitored held-out
   * metric (see {@link TrainConfig.Builder#monitor}) has not improved for {@code patience} epochs.
   *
   * @param patience epochs without improvement before each reduction, at least 1
   * @param factor the reduction, in (0, 1]
   * @return the schedule
   */
  public static LrSchedule plateau(int patience, double factor) {
    return new LrSchedule(Kind.PLATEAU, patience, (float) factor, 0);
  }

  /**
   * This schedule after a linear warm-up: during the first {@code epochs} epochs the rate rises
   * step by step from 1/(epochs x steps) of the scheduled rate to all of it.
   *
   * @param epochs warm-up epochs (0 for none)
   * @return a copy with the warm-up
   */
  public LrSchedule withWarmup(int epochs) {
    return new LrSchedule(kind, every, gamma, epochs);
  }

  /**
   * Reads the text form (see the class comment).
   *
   * @param text e.g. {@code cosine}, {@code step:5:0.5}, {@code plateau:2:0.5+warmup:1}
   * @return the schedule
   * @throws IllegalArgumentException naming the text when it is not a schedule
   */
  public static LrSchedule parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int plus = t.indexOf('+');
    String main = plus < 0 ? t : t.substring(0, plus);
    String warm = plus < 0 ? null : t.substring(plus + 1);
    String[] p = main.split(":", -1);
    boolean takesParameters = p[0].equals("step") || p[0].equals("plateau");
    if (p.length > 1 && !takesParameters || p.length > 3) {
      throw new IllegalArgumentException(
          "lr schedule = "
              + text
              + ": "
              + (takesParameters
                  ? p[0] + " takes at most two numbers"
                  : p[0] + " takes no parameters")
              + "; use constant, step:EVERY:GAMMA (e.g. step:5:0.5), cosine or"
              + " plateau:PATIENCE:FACTOR, optionally +warmup:EPOCHS");
    }
    try {
      LrSchedule s =
          switch (p[0]) {
            case "constant" -> constant();
            case "cosine" -> cosine();
            case "step" -> step(intAt(p, 1, 5), floatAt(p, 2, 0.5f));
            case "plateau" -> plateau(intAt(p, 1, 2), floatAt(p, 2, 0.5f));
            default ->
                throw new IllegalArgumentException(
                    "lr schedule = "
                        + text
                        + ": must be constant, step[:EVERY[:GAMMA]], cosine or"
                        + " plateau[:PATIENCE[:FACTOR]], optionally +warmup:EPOCHS");
          };
      if (warm != null) {
        Require.that(warm.startsWith("warmup:"), "lr schedule", text, "must end +warmup:EPOCHS");
        s = s.withWarmup(Integer.parseInt(warm.substring("warmup:".length())));
      }
      return s;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "lr schedule = " + text + ": takes step:EVERY:GAMMA, e.g. step:5:0.5", e);
    }
  }

  private static int intAt(String[] p, int i, int fallback) {
    return p.length > i ? Integer.parseInt(p[i]) : fallback;
  }

  private static float floatAt(String[] p, int i, float fallback) {
    return p.length > i ? Float.parseFloat(p[i]) : fallback;
  }

  /**
   * The rate for 0-based {@code epoch}, {@code fraction} of the way through it, of {@code epochs},
   * before warm-up and plateau reductions.
   *
   * @param base the base learning rate
   * @param epoch the 0-based epoch
   * @param fraction how far through the epoch, in [0, 1)
   * @param epochs the epochs the schedule spans
   * @return the scheduled rate
   */
  public float at(float base, int epoch, double fraction, int epochs) {
    return switch (kind) {
      case STEP -> (float) (base * Math.pow(gamma, epoch / every));
      case COSINE -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * (epoch + fraction) / epochs)));
      default -> base;
    };
  }

  /**
   * The rate of step {@code step} of {@code steps} in 0-based {@code epoch}, for a schedule planned
   * over {@code planned} epochs, warm-up included. A cosine run extended past its plan keeps the
   * plan's last rate instead of rising again, so its decay stays monotone.
   *
   * @param base the base learning rate
   * @param epoch the 0-based epoch
   * @param step the 0-based step within the epoch
   * @param steps the steps of an epoch
   * @param planned the epochs the schedule was planned for
   * @return the rate of that step
   */
  public float at(float base, int epoch, int step, int steps, int planned) {
    float rate =
        kind == Kind.COSINE && epoch >= planned
            ? at(base, planned - 1, (double) (steps - 1) / steps, planned)
            : at(base, epoch, (double) step / steps, planned);
    if (epoch < warmupEpochs) {
      rate *= (float) ((epoch * (double) steps + step + 1) / ((double) warmupEpochs * steps));
    }
    return rate;
  }

  @Override
  public String toString() {
    String s =
        switch (kind) {
          case STEP -> "step:" + every + ":" + gamma;
          case PLATEAU -> "plateau:" + every + ":" + gamma;
          default -> kind.name().toLowerCase(Locale.ROOT);
        };
    return warmupEpochs > 0 ? s + "+warmup:" + warmupEpochs : s;
  }
}
