package org.convcl.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.convcl.cpu.CpuOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Literal float64 results made by an independent tool: {@code
 * scripts/fixtures/make_conv_fixtures.py} computes convolution (forward, input, filter and bias
 * gradients) on 12 geometries (stride, asymmetric padding, dilation, groups, odd sizes, batch 1)
 * and max pooling (forward, argmax, upsample) on 4 with NumPy alone, tap by tap on strided slices
 * of a padded input; its output is committed in {@code src/test/resources/fixtures/}. The inputs
 * are float32 values, so both backends receive exactly the script's numbers.
 *
 * <p>Tolerances. RefOps sums in double (an error of about T 1e-16 S, S the sum of |terms| <= ~150)
 * and rounds once to float: {@code u |v| + 1e-10} with u = 2^-24. CpuOps rounds its products and
 * partial sums in float: a sum of T <= 150 terms errs by at most T u S <= 1e-5 S, with S computed
 * from the absolute inputs. Max pooling selects and copies: its forward and argmax are exact, its
 * upsample sums at most 9 terms in double (RefOps) or float.
 */
class IndependentFixturesTest {
  private static final String RESOURCE = "/fixtures/conv_fixtures.txt";
  private static final double U = 0x1p-24;

  /** One case of the file: its header fields and its named arrays. */
  record Case(String kind, String name, int[] header, Map<String, double[]> arrays) {
    float[] floats(String key) {
      double[] d = arrays.get(key);
      if (d == null) {
        return null;
      }
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
        assertEquals(d[i], f[i], 0.0, name + ": input " + key + " must be a float32 value");
      }
      return f;
    }

    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  static List<Case> load() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = IndependentFixturesTest.class.getResourceAsStream(RESOURCE)) {
      assertTrue(in != null, RESOURCE + " is missing");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Case current = null;
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" +");
        if (f[0].equals("conv") || f[0].equals("pool")) {
          int[] header = Arrays.stream(f, 2, f.length).mapToInt(Integer::parseInt).toArray();
          current = new Case(f[0], f[1], header, new HashMap<>());
          cases.add(current);
        } else {
          double[] v = Arrays.stream(f, 1, f.length).mapToDouble(Double::parseDouble).toArray();
          current.arrays().put(f[0], v);
        }
      }
    }
    return cases;
  }

  static Stream<Case> convCases() throws IOException {
    return load().stream().filter(c -> c.kind().equals("conv"));
  }

  static Stream<Case> poolCases() throws IOException {
    return load().stream().filter(c -> c.kind().equals("pool"));
  }

  @Test
  void theFileHoldsTwelveConvolutionsAndFourPoolings() throws IOException {
    assertEquals(12, convCases().count());
    assertEquals(4, poolCases().count());
  }

  /** The geometry of a conv header: n c h w k kh kw sh sw top bottom left right dh dw groups. */
  private static ConvGeometry convGeometry(Case c) {
    int[] h = c.header();
    boolean bias = c.arrays().containsKey("b");
    ConvParams p =
        ConvParams.of(1)
            .withKernel(h[5], h[6])
            .withStride(h[7], h[8])
            .withPadding(new Padding(h[9], h[10], h[11], h[12]))
            .withDilation(h[13], h[14])
            .withGroups(h[15])
            .withBias(bias);
    ConvGeometry g = ConvGeometry.of(h[0], h[1], h[2], h[3], h[4], p);
    assertEquals(h[16], g.outH(), c + ": output height");
    assertEquals(h[17], g.outW(), c + ": output width");
    return g;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convCases")
  void refOpsReproducesTheConvolutionFixtures(Case c) {
    ConvGeometry g = convGeometry(c);
    try (CpuRunner ref = new CpuRunner(new RefOps())) {
      checkConv(c, g, ref, (expected, s) -> refBound(expected));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convCases")
  void cpuOpsReproducesTheConvolutionFixtures(Case c) {
    ConvGeometry g = convGeometry(c);
    try (CpuRunner cpu = new CpuRunner(new CpuOps())) {
      checkConv(c, g, cpu, (expected, s) -> floatBound(s));
    }
  }

  /** The allowed error per element, from the expected values and the sums of |terms|. */
  @FunctionalInterface
  interface Bound {
    double[] of(double[] expected, double[] absSum);
  }

  private static void checkConv(Case c, ConvGeometry g, CpuRunner b, Bound bound) {
    float[] x = c.floats("x");
    float[] w = c.floats("w");
    float[] bias = c.floats("b");
    float[] dy = c.floats("dy");
    double[] ax = abs(x);
    double[] aw = abs(w);
    double[] ady = abs(dy);
    String ctx = b.ops.name() + ", " + c + ", " + g;
    double[] y = c.arrays().get("y");
    ArrayDiff.assertWithin(
        "forward " + ctx,
        g.outputShape(),
        y,
        b.convForward(x, w, bias, g),
        bound.of(y, RefConv.forward(ax, aw, bias == null ? null : abs(bias), g)));
    double[] dx = c.arrays().get("dx");
    ArrayDiff.assertWithin(
        "input gradient " + ctx,
        g.inputShape(),
        dx,
        b.convBackwardInput(dy, w, g),
        bound.of(dx, RefConv.backwardInput(ady, aw, g)));
    double[] dw = c.arrays().get("dw");
    ArrayDiff.assertWithin(
        "filter gradient " + ctx,
        g.weightShape(),
        dw,
        b.convBackwardFilter(x, dy, g),
        bound.of(dw, RefConv.backwardFilter(ax, ady, g)));
    if (bias != null) {
      double[] db = c.arrays().get("db");
      ArrayDiff.assertWithin(
          "bias gradient " + ctx,
          g.biasShape(),
          db,
          b.biasBackward(dy, g.outputShape()),
          bound.of(db, RefConv.backwardBias(ady, g.n(), g.k())));
    }
  }

  /** The geometry of a pool header: n c h w kh kw sh sw top bottom left right. */
  private static PoolGeometry poolGeometry(Case c) {
    int[] h = c.header();
    PoolParams p =
        new PoolParams(h[4], h[5], h[6], h[7], new Padding(h[8], h[9], h[10], h[11]), false, true);
    PoolGeometry g = PoolGeometry.of(h[0], h[1], h[2], h[3], p);
    assertEquals(h[12], g.outH(), c + ": output height");
    assertEquals(h[13], g.outW(), c + ": output width");
    return g;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolCases")
  void bothBackendsReproduceTheMaxPoolFixtures(Case c) {
    PoolGeometry g = poolGeometry(c);
    int[] argmax = Arrays.stream(c.arrays().get("argmax")).mapToInt(v -> (int) v).toArray();
    for (CpuRunner b : List.of(new CpuRunner(new RefOps()), new CpuRunner(new CpuOps()))) {
      try (b) {
        String ctx = b.ops.name() + ", " + c + ", " + g;
        CpuRunner.MaxPool pooled = b.maxPoolForward(c.floats("x"), g);
        ArrayDiff.assertClose(
            "forward " + ctx, g.outputShape(), c.arrays().get("y"), pooled.output(), 0, 0);
        ArrayDiff.assertEqualInts("argmax " + ctx, g.outputShape(), argmax, pooled.argmax());
        ArrayDiff.assertClose(
            "upsample " + ctx,
            g.inputShape(),
            c.arrays().get("dx"),
            b.maxPoolBackward(c.floats("dy"), pooled.argmax(), g),
            1e-6,
            1e-6);
      }
    }
  }

  private static double[] refBound(double[] expected) {
    double[] bound = new double[expected.length];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = U * Math.abs(expected[i]) + 1e-10;
    }
    return bound;
  }

  private static double[] floatBound(double[] absSum) {
    double[] bound = new double[absSum.length];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = 1e-5 * absSum[i] + 1e-10;
    }
    return bound;
  }

  private static double[] abs(float[] a) {
    return Numeric.abs(Numeric.toDouble(a));
  }

  @Test
  void everyArrayHasItsGeometrysSize() throws IOException {
    // a format drift (a missing or extra value) fails here first, naming the array
    for (Case c : convCases().toList()) {
      ConvGeometry g = convGeometry(c);
      assertEquals(g.inputShape().size(), c.arrays().get("x").length, c + " x");
      assertEquals(g.weightShape().size(), c.arrays().get("w").length, c + " w");
      assertEquals(g.outputShape().size(), c.arrays().get("y").length, c + " y");
      assertEquals(g.outputShape().size(), c.arrays().get("dy").length, c + " dy");
      assertEquals(g.inputShape().size(), c.arrays().get("dx").length, c + " dx");
      assertEquals(g.weightShape().size(), c.arrays().get("dw").length, c + " dw");
    }
  }
}
