package org.convcl.cl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;

/**
 * A convolution kernel of {@code opencl/} as a registered implementation: its program file and
 * kernel name, its tunables (those in {@code defines} become {@code -D} build options, the others
 * are launch parameters such as the work-group size), and the launcher that sets its arguments and
 * range. Declared in {@link ClImplementations}.
 */
final class ClConvKernel implements Implementation<ClOps> {
  /** Sets the arguments of {@code l} and enqueues it for {@code call} with {@code s}. */
  @FunctionalInterface
  interface Launcher {
    void launch(ClOps ops, Launch l, ConvCall call, Settings s);
  }

  /** Why a kernel cannot take a geometry on a device (beyond its settings), or null. */
  @FunctionalInterface
  interface Applies {
    String whyNot(ClDeviceInfo device, ConvGeometry g, Settings s);
  }

  /** The work-group size along dimension 0 of the spatial kernels: a launch parameter. */
  static final Tunable WORK_GROUP = Tunable.of("WG", 64, 16, 32, 64, 128, 256);

  private final Pass pass;
  private final String file;
  private final String kernel;
  private final String summary;
  private final List<Tunable> tunables;
  private final Set<String> defines;
  private final Applies applies;
  private final Launcher launcher;
  private final boolean fusesEpilogue;

  /** A kernel that does not fuse a forward call's epilogue (the registry applies it after). */
  ClConvKernel(
      Pass pass,
      String file,
      String kernel,
      String summary,
      List<Tunable> tunables,
      Set<String> defines,
      Applies applies,
      Launcher launcher) {
    this(pass, file, kernel, summary, tunables, defines, applies, launcher, false);
  }

  /** {@code fusesEpilogue}: its launcher passes the call's epilogue (common.cl EPILOGUE_PARAMS). */
  ClConvKernel(
      Pass pass,
      String file,
      String kernel,
      String summary,
      List<Tunable> tunables,
      Set<String> defines,
      Applies applies,
      Launcher launcher,
      boolean fusesEpilogue) {
    this.pass = pass;
    this.file = file;
    this.kernel = kernel;
    this.summary = summary;
    this.tunables = List.copyOf(tunables);
    this.defines = Set.copyOf(defines);
    this.applies = applies;
    this.launcher = launcher;
    this.fusesEpilogue = fusesEpilogue;
  }

  @Override
  public boolean fusesEpilogue() {
    return fusesEpilogue;
  }

  @Override
  public String name() {
    return kernel;
  }

  @Override
  public Pass pass() {
    return pass;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public List<Tunable> tunables() {
    return tunables;
  }

  String file() {
    return file;
  }

  @Override
  public String whyNot(ClOps ops, ConvGeometry g, Settings s) {
    String illegal = illegal(s);
    if (illegal != null) {
      return illegal;
    }
    if (tunables.contains(WORK_GROUP) && s.get(WORK_GROUP) > ops.device().maxWorkGroupSize()) {
      return "WG = "
          + s.get(WORK_GROUP)
          + " exceeds the device's work-group limit "
          + ops.device().maxWorkGroupSize();
    }
    return applies.whyNot(ops.device(), g, s);
  }

  @Override
  public void run(ClOps ops, ConvCall call, Settings s) {
    launcher.launch(ops, ops.launch(file, buildOptions(s), kernel, label(s)), call, s);
  }

  /** The {@code -D} options of the tunables that are defines, sorted by name. */
  String buildOptions(Settings s) {
    Settings d = Settings.NONE;
    for (Tunable t : tunables) {
      if (defines.contains(t.name())) {
        d = d.with(t.name(), s.get(t));
      }
    }
    return d.defines();
  }

  private String label(Settings s) {
    return s.isEmpty() ? kernel : kernel + " " + s;
  }

  @Override
  public String sourceHash(ClOps ops) {
    return programHash(file);
  }

  /**
   * The first 16 hex digits of the SHA-256 of {@code file}'s program text (common.cl and the file):
   * a choice tuned for other code is stale.
   */
  static String programHash(String file) {
    String source = KernelSource.program(file, KernelSource.read(file));
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
