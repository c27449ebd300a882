package org.convcl.tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convcl.impl.Choice;
import org.convcl.impl.Implementation;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Settings;
import org.convcl.impl.ShapeKey;
import org.convcl.impl.TableEntry;
import org.convcl.ops.KernelProfiler;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every applicable implementation x tunable setting of a backend for each job, and keeps the
 * fastest one whose output agrees with the reference backend ({@link Agreement}); a candidate that
 * disagrees is reported and never kept, one that fails to build or run is skipped (its error at
 * debug level). Each candidate runs once to be checked (that run also warms it up), then {@link
 * #REPEATS} times (the very first, the first job's current choice, also runs untimed for {@link
 * #WARM_UP} before); its time is the median of the device clock where the backend has one, else of
 * the wall clock. The whole run stays within its budget: each job gets an equal share of what is
 * left, the choice before and each implementation's defaults first. The winners are written to the
 * backend's choice table for the exact device.
 */
public final class Tuner {
  private static final Logger LOG = LoggerFactory.getLogger(Tuner.class);

  /** Timed runs per candidate (after the checked run). */
  static final int REPEATS = 5;

  /** Extra warm-up runs where the time is the wall clock's (the plain-Java backend). */
  static final int WALL_CLOCK_WARMUPS = 5;

  /**
   * How long the first job's current choice runs before anything is timed, at most (and at most a
   * twentieth of the budget): a run's first seconds share the cores with the JVM's compiler
   * threads, which on a CPU device (PoCL) made the first candidates' device times twice their later
   * ones.
   */
  static final Duration WARM_UP = Duration.ofSeconds(1);

  /** Settings tried per implementation at most (the defaults first). */
  static final int MAX_SETTINGS = 64;

  /** Told after every candidate. */
  @FunctionalInterface
  public interface Progress {
    void update(int done, int total, String what);
  }

  private final Ops device;
  private final Ops reference;
  private final Duration budget;
  private final Progress progress;
  private final long seed;

  /**
   * @param device the backend to tune; it must have implementations
   * @param reference the backend every candidate is checked against
   */
  public Tuner(Ops device, Ops reference, Duration budget, Progress progress, long seed) {
    this.device = device;
    this.reference = reference;
    this.budget = budget;
    this.progress = progress;
    this.seed = seed;
  }

  /**
   * Tunes {@code jobs}, records the winners in the device's choice table (in memory: {@link
   * org.convcl.impl.ChoiceTable#save()} writes it) and returns one outcome per job.
   */
  public List<Outcome> tune(List<TuneJob> jobs) {
    ImplementationRegistry<?> registry =
        device
            .implementations()
            .orElseThrow(
                () -> new IllegalArgumentException(device.name() + " has nothing to tune"));
    return tune(registry, jobs);
  }

  /**
   * Tunes {@code jobs} over {@code registry}, which must be the device's own or one derived from it
   * ({@link ImplementationRegistry#with}); see {@link #tune(List)}.
   */
  public <B> List<Outcome> tune(ImplementationRegistry<B> registry, List<TuneJob> jobs) {
    int total = 0;
    for (TuneJob j : jobs) {
      total += candidates(registry, j).size();
    }
    long deadline = System.nanoTime() + budget.toNanos();
    Counter done = new Counter(total);
    List<Outcome> outcomes = new ArrayList<>();
    long warmUpNanos = Math.min(WARM_UP.toNanos(), budget.toNanos() / 20);
    for (int i = 0; i < jobs.size(); i++) {
      long share = (deadline - System.nanoTime()) / (jobs.size() - i);
      long warm = i == 0 ? warmUpNanos : 0;
      outcomes.add(tuneOne(registry, jobs.get(i), System.nanoTime() + share, warm, done));
    }
    registry.tableChanged();
    return outcomes;
  }

  private final class Counter {
    final int total;
    int done;

    Counter(int total) {
      this.total = total;
    }

    void step(String what) {
      done++;
      progress.update(Math.min(done, total), total, what);
    }
  }

  /** The choice before, then each implementation's defaults, then the rest of each space. */
  private static <B> List<Choice> candidates(ImplementationRegistry<B> registry, TuneJob job) {
    ConvGeometry g = job.geometry();
    List<Choice> first = new ArrayList<>();
    List<Choice> rest = new ArrayList<>();
    Choice before = registry.choose(job.pass(), g).choice();
    first.add(before);
    for (Implementation<B> impl : registry.forPass(job.pass())) {
      List<Settings> space = impl.settingsSpace(MAX_SETTINGS);
      for (int k = 0; k < space.size(); k++) {
        Settings s = space.get(k);
        Choice c = new Choice(impl.name(), s, "tuner");
        if (!sameAs(c, before) && impl.whyNot(registry.backend(), g, s) == null) {
          (k == 0 ? first : rest).add(c);
        }
      }
    }
    first.addAll(rest);
    return first;
  }

  private static boolean sameAs(Choice a, Choice b) {
    return a.implementation().equals(b.implementation()) && a.settings().equals(b.settings());
  }

  /** {@code warmUpNanos}: how long the first candidate runs untimed after its check. */
  private <B> Outcome tuneOne(
      ImplementationRegistry<B> registry,
      TuneJob job,
      long jobDeadline,
      long warmUpNanos,
      Counter done) {
    List<Choice> candidates = candidates(registry, job);
    try (ConvWorkload w = new ConvWorkload(device, reference, job.pass(), job.geometry(), seed)) {
      Choice before = candidates.get(0);
      double beforeMs = Double.NaN;
      Choice best = null;
      double bestMs = Double.POSITIVE_INFINITY;
      List<String> rejected = new ArrayList<>();
      int timed = 0;
      int failed = 0;
      int overBudget = 0;
      for (int i = 0; i < candidates.size(); i++) {
        Choice c = candidates.get(i);
        String what = job.layer() + " " + job.pass() + " " + c.label();
        if (i > 0 && System.nanoTime() > jobDeadline) {
          overBudget = candidates.size() - i;
          done.done += overBudget;
          break;
        }
        Implementation<B> impl = registry.find(job.pass(), c.implementation());
        double ms;
        try {
          String wrong = w.check(() -> impl.run(registry.backend(), w.call(), c.settings()));
          if (wrong != null) {
            rejected.add(c.label() + ": " + wrong);
            LOG.warn("tune: {} rejected, it disagrees with the reference: {}", what, wrong);
            done.step(what);
            continue;
          }
          Runnable run = () -> impl.run(registry.backend(), w.call(), c.settings());
          if (i == 0) {
            warmUp(run, warmUpNanos);
          }
          ms = time(run);
        } catch (RuntimeException e) {
          failed++;
          LOG.debug("tune: {} failed to build or run", what, e);
          done.step(what);
          continue;
        }
        timed++;
        if (i == 0) {
          beforeMs = ms;
        }
        if (ms < bestMs) {
          best = c;
          bestMs = ms;
        }
        done.step(what);
      }
      if (best == null) {
        throw new IllegalStateException(
            "tune: no implementation of " + job.pass() + " agreed with the reference on " + job);
      }
      Implementation<B> winner = registry.find(job.pass(), best.implementation());
      double gflops = job.geometry().flops() / (bestMs * 1e6);
      registry
          .table()
          .put(
              TableEntry.forDevice(
                  registry.deviceKey(),
                  job.pass(),
                  ShapeKey.of(job.geometry()),
                  best,
                  winner.sourceHash(registry.backend()),
                  gflops));
      Choice kept = new Choice(best.implementation(), best.settings(), "tuned");
      return new Outcome(
          job, before, beforeMs, kept, bestMs, timed, List.copyOf(rejected), failed, overBudget);
    }
  }

  /** Runs {@code run} until {@code nanos} have passed (at least once when positive). */
  private void warmUp(Runnable run, long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      run.run();
      device.finish();
    }
  }

  /** Median milliseconds of {@link #REPEATS} runs: device time where there is a device clock. */
  private double time(Runnable run) {
    KernelProfiler profiler = device.kernelProfiler().orElse(null);
    if (profiler == null) {
      // A wall clock on a JVM backend also measures the JIT: warm it up first.
      for (int i = 0; i < WALL_CLOCK_WARMUPS; i++) {
        run.run();
      }
    }
    double[] ms = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      if (profiler != null) {
        profiler.start();
        run.run();
        ms[i] = KernelProfiler.totalNanos(profiler.stop()) / 1e6;
      } else {
        long start = System.nanoTime();
        run.run();
        device.finish();
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[REPEATS / 2];
  }
}
