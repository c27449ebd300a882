package org.convcl.cl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Launchers of opencl/conv_igemm.cl: the three convolution passes as tiled implicit GEMMs whose
 * tile, work-group and vector sizes are tunables (build defines). Each pass describes its tunables
 * ({@link #tunables}), says whether a setting applies to a geometry on a device ({@link #applies}),
 * and launches with it; which setting runs where is the caller's choice (data, not code).
 */
final class ConvGemmKernels {
  static final String FILE = "conv_igemm.cl";

  /**
   * Terms per partial sum of the filter gradient's batch reduction, at least: fewer, longer chunks
   * than the direct kernels use, since the tiles already give the device parallel work.
   */
  static final int FILTER_MIN_CHUNK = 1024;

  /** A sanity cap on outputs per work-item (MWG/MDIMC x NWG/NDIMC), so no setting spills wildly. */
  static final int MAX_OUTPUTS_PER_ITEM = 256;

  /** The three passes; each has its own defaults (measured on PoCL, docs/performance.md). */
  enum Pass {
    FORWARD(64, 64, 32, 4, 4, 8, 1, 8),
    BACKWARD_INPUT(64, 64, 32, 4, 4, 8, 1, 8),
    BACKWARD_FILTER(64, 64, 32, 4, 4, 8, 1, 8);

    private final List<Tunable> tunables;

    Pass(int mwg, int nwg, int kwg, int kwi, int mdimc, int ndimc, int vwm, int vwn) {
      List<Integer> tile = List.of(1, 2, 4, 8, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 256);
      List<Integer> dim = List.of(1, 2, 4, 8, 16, 32, 64);
      List<Integer> vector = List.of(1, 2, 4, 8);
      List<Integer> flag = List.of(0, 1);
      this.tunables =
          List.of(
              new Tunable("MWG", mwg, tile),
              new Tunable("NWG", nwg, tile),
              new Tunable("KWG", kwg, List.of(1, 2, 4, 8, 16, 32, 64)),
              new Tunable("KWI", kwi, List.of(1, 2, 4, 8, 16, 32, 64)),
              new Tunable("MDIMC", mdimc, dim),
              new Tunable("NDIMC", ndimc, dim),
              new Tunable("VWM", vwm, vector),
              new Tunable("VWN", vwn, vector),
              new Tunable("SA", 1, flag),
              new Tunable("SB", 1, flag));
    }
  }

  private ConvGemmKernels() {}

  /** The tunables of {@code pass}, in the order the build options list them. */
  static List<Tunable> tunables(Pass pass) {
    return pass.tunables;
  }

  /** {@code chosen} over the pass's defaults, every tunable present, in declaration order. */
  static Map<String, Integer> resolve(Pass pass, Map<String, Integer> chosen) {
    for (String name : chosen.keySet()) {
      if (pass.tunables.stream().noneMatch(t -> t.name().equals(name))) {
        throw new IllegalArgumentException(
            "unknown tunable " + name + " for " + FILE + " " + pass + "; known: " + names(pass));
      }
    }
    Map<String, Integer> all = new LinkedHashMap<>();
    for (Tunable t : pass.tunables) {
      all.put(t.name(), chosen.getOrDefault(t.name(), t.defaultValue()));
    }
    return all;
  }

  /** The build options for a setting: one {@code -D} per tunable, defaults filled in. */
  static String options(Pass pass, Map<String, Integer> chosen) {
    StringBuilder sb = new StringBuilder();
    resolve(pass, chosen)
        .forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append("-D" + k + "=" + v));
    return sb.toString();
  }

  /**
   * Whether {@code chosen} (defaults filled in) can run {@code pass} on {@code g} on device {@code
   * d}.
   */
  static boolean applies(Pass pass, ConvGeometry g, ClDeviceInfo d, Map<String, Integer> chosen) {
    return rejection(pass, g, d, chosen).isEmpty();
  }

  /**
   * Why {@code chosen} cannot run {@code pass} here, naming the tunable and its value, or empty.
   * The kernel itself works for every geometry (bounds are checked per element); the limits are the
   * device's (work-group size, local memory) and the tiling's divisibility.
   */
  static Optional<String> rejection(
      Pass pass, ConvGeometry g, ClDeviceInfo d, Map<String, Integer> chosen) {
    Map<String, Integer> t;
    try {
      t = resolve(pass, chosen);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    for (Tunable tu : pass.tunables) {
      int v = t.get(tu.name());
      if (!tu.legal().contains(v)) {
        return Optional.of(tu.name() + " = " + v + " is not one of " + tu.legal());
      }
    }
    int mwg = t.get("MWG");
    int nwg = t.get("NWG");
    int kwg = t.get("KWG");
    int mdimc = t.get("MDIMC");
    int ndimc = t.get("NDIMC");
    int vwm = t.get("VWM");
    int vwn = t.get("VWN");
    int kwi = t.get("KWI");
    if (kwg % kwi != 0) {
      return Optional.of("KWG = " + kwg + " is no multiple of KWI = " + kwi);
    }
    if (mwg % (mdimc * vwm) != 0) {
      return Optional.of("MWG = " + mwg + " is no multiple of MDIMC*VWM = " + mdimc * vwm);
    }
    if (nwg % (ndimc * vwn) != 0) {
      return Optional.of("NWG = " + nwg + " is no multiple of NDIMC*VWN = " + ndimc * vwn);
    }
    long outputs = (long) (mwg / mdimc) * (nwg / ndimc);
    if (outputs > MAX_OUTPUTS_PER_ITEM) {
      return Optional.of(
          "MWG/MDIMC x NWG/NDIMC = "
              + outputs
              + " outputs per work-item, over "
              + MAX_OUTPUTS_PER_ITEM);
    }
    long group = (long) mdimc * ndimc;
    if (group > d.maxWorkGroupSize()) {
      return Optional.of(
          "MDIMC*NDIMC = "
              + group
              + " work-items exceeds CL_DEVICE_MAX_WORK_GROUP_SIZE = "
              + d.maxWorkGroupSize()
              + " of "
              + d.name());
    }
    String local =
        d.whyLocalMemoryFails(
            "the tiles (MWG " + mwg + ", NWG " + nwg + ", KWG " + kwg + ")", localBytes(t));
    if (local != null) {
      return Optional.of(local);
    }
    if (pass == Pass.BACKWARD_FILTER) {
      long partial = (long) chunks(g) * g.weightShape().size() * 4;
      if (chunks(g) > 1 && partial > d.maxAllocBytes()) {
        return Optional.of(
            "the partial sums need " + partial + " bytes, over the device's max allocation");
      }
    }
    return Optional.empty();
  }

  /** Local memory of one work-group: the A and B tiles (when staged) and the two index tables. */
  static long localBytes(Map<String, Integer> t) {
    long kwg = t.get("KWG");
    long tiles = t.get("SA") * kwg * t.get("MWG") + t.get("SB") * kwg * t.get("NWG");
    return 4 * tiles + 16 * (kwg + t.get("NWG"));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Launchers

  static void forward(
      ClOps ops,
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Map<String, Integer> tunables) {
    forward(ops, input, weights, bias, output, g, null, tunables);
  }

  /** As above, with {@code epilogue} (null: none) applied to each output as it is stored. */
  static void forward(
      ClOps ops,
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Activation epilogue,
      Map<String, Integer> tunables) {
    Map<String, Integer> t = require(Pass.FORWARD, ops, g, tunables);
    Launch l =
        ops.launch(
            FILE,
            options(Pass.FORWARD, t),
            "conv_igemm_forward_v1",
            "conv_igemm_forward_v1" + " " + Settings.of(t));
    l.args().tensor(ops.cl(input)).tensor(ops.cl(weights));
    l.args().mem(bias == null ? ops.dummy() : ops.cl(bias).buffer()).bool(bias != null);
    l.args().epilogue(epilogue).tensor(ops.cl(output));
    GeometryArgs.conv(l.args(), g);
    long cols = (long) g.n() * g.outH() * g.outW();
    run(l, t, g.filtersPerGroup(), cols, g.groups(), () -> "convForward (igemm) " + g);
  }

  static void backwardInput(
      ClOps ops,
      Tensor gradOutput,
      Tensor weights,
      Tensor gradInput,
      ConvGeometry g,
      Map<String, Integer> tunables) {
    Map<String, Integer> t = require(Pass.BACKWARD_INPUT, ops, g, tunables);
    boolean unit = g.params().strideH() == 1 && g.params().strideW() == 1;
    String kernel = unit ? "conv_igemm_backward_input_unit_v1" : "conv_igemm_backward_input_v1";
    Launch l =
        ops.launch(FILE, options(Pass.BACKWARD_INPUT, t), kernel, kernel + " " + Settings.of(t));
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(weights)).tensor(ops.cl(gradInput));
    GeometryArgs.conv(l.args(), g);
    long cols = (long) g.n() * g.h() * g.w();
    run(l, t, g.channelsPerGroup(), cols, g.groups(), () -> "convBackwardInput (igemm) " + g);
  }

  static void backwardFilter(
      ClOps ops,
      Tensor input,
      Tensor gradOutput,
      Tensor gradWeights,
      ConvGeometry g,
      Map<String, Integer> tunables) {
    Map<String, Integer> t = require(Pass.BACKWARD_FILTER, ops, g, tunables);
    int weightCount = g.weightShape().size();
    int chunkLen = chunkLength(g);
    int chunks = chunks(g);
    Supplier<String> what = () -> "convBackwardFilter (igemm) " + g;
    if (chunks == 1) { // the one partial sum is the gradient: write it in place
      filterPartial(ops, input, gradOutput, ops.cl(gradWeights), g, t, chunkLen, what);
      return;
    }
    try (ClTensor partial =
        ops.temp(
            Shape.of(chunks, weightCount), () -> "convBackwardFilter (igemm) partial sums " + g)) {
      filterPartial(ops, input, gradOutput, partial, g, t, chunkLen, what);
      ConvKernels.reduceChunks(ops, partial, ops.cl(gradWeights), weightCount, chunks, what.get());
    }
  }

  private static void filterPartial(
      ClOps ops,
      Tensor input,
      Tensor gradOutput,
      ClTensor partial,
      ConvGeometry g,
      Map<String, Integer> t,
      int chunkLen,
      Supplier<String> what) {
    Launch l =
        ops.launch(
            FILE,
            options(Pass.BACKWARD_FILTER, t),
            "conv_igemm_backward_filter_v1",
            "conv_igemm_backward_filter_v1" + " " + Settings.of(t));
    l.args().tensor(ops.cl(input)).tensor(ops.cl(gradOutput)).tensor(partial).i(chunkLen);
    GeometryArgs.conv(l.args(), g);
    long cols = g.weightShape().size() / g.k();
    run(l, t, g.filtersPerGroup(), cols, (long) g.groups() * chunks(g), what);
  }

  /**
   * Terms per chunk of the filter gradient's reduction over N*outH*outW: a function of the shapes
   * alone (never of the tunables), so every setting adds the same partial sums in the same order.
   */
  static int chunkLength(ConvGeometry g) {
    int total = g.n() * g.outH() * g.outW();
    return ConvKernels.chunkLength(total, g.weightShape().size(), FILTER_MIN_CHUNK);
  }

  static int chunks(ConvGeometry g) {
    return Chunks.count(g.n() * g.outH() * g.outW(), chunkLength(g));
  }

  /**
   * The NDRange of the header: tiles of MWG x NWG, work-groups of NDIMC x MDIMC, one z per group.
   */
  private static void run(
      Launch l, Map<String, Integer> t, long rows, long cols, long z, Supplier<String> what) {
    long ndimc = t.get("NDIMC");
    long mdimc = t.get("MDIMC");
    long tilesN = (cols + t.get("NWG") - 1) / t.get("NWG");
    long tilesM = (rows + t.get("MWG") - 1) / t.get("MWG");
    l.run(new long[] {tilesN * ndimc, tilesM * mdimc, z}, new long[] {ndimc, mdimc, 1}, what);
  }

  private static Map<String, Integer> require(
      Pass pass, ClOps ops, ConvGeometry g, Map<String, Integer> chosen) {
    Optional<String> why = rejection(pass, g, ops.device(), chosen);
    if (why.isPresent()) {
      throw new IllegalArgumentException(
          FILE + " " + pass + " tunables " + chosen + ": " + why.get());
    }
    return resolve(pass, chosen);
  }

  private static String names(Pass pass) {
    return pass.tunables.stream().map(Tunable::name).toList().toString();
  }
}
