import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * A paired comparison of two builds' steady-state training step in one JVM: the {@link Workload} of
 * each jar in its own class loader, then blocks of steps alternately on each (the order swapped
 * every block), so a change of the shared machine's speed hits both alike. Prints each jar's median
 * milliseconds per step and the per-block ratio second/first with the number of blocks the second
 * won. The JIT compiles each copy on its own; both are first run for 180 steps.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp CLASSES Harness WORKLOAD_DIR BLOCKS STEPS JAR1 JAR2</pre>
 */
public final class Harness {
  private Harness() {}

  public static void main(String[] args) throws Exception {
    File workload = new File(args[0]);
    int blocks = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    Method[] block = new Method[2];
    String[] names = new String[2];
    for (int j = 0; j < 2; j++) {
      File jar = new File(args[3 + j]);
      URL[] path = {jar.toURI().toURL(), workload.toURI().toURL()};
      ClassLoader loader = new URLClassLoader(path, ClassLoader.getPlatformClassLoader());
      block[j] = loader.loadClass("Workload").getMethod("block", int.class);
      names[j] = jar.getPath();
    }
    for (int w = 0; w < 3; w++) {
      for (Method m : block) {
        m.invoke(null, 60);
      }
    }
    double[][] ms = new double[2][blocks];
    for (int b = 0; b < blocks; b++) {
      for (int i = 0; i < 2; i++) {
        int j = b % 2 == 0 ? i : 1 - i;
        ms[j][b] = (long) block[j].invoke(null, steps) / 1e6 / steps;
      }
    }
    double[] ratio = new double[blocks];
    int wins = 0;
    for (int b = 0; b < blocks; b++) {
      ratio[b] = ms[1][b] / ms[0][b];
      wins += ms[1][b] < ms[0][b] ? 1 : 0;
    }
    for (int j = 0; j < 2; j++) {
      double[] s = ms[j].clone();
      Arrays.sort(s);
      System.out.printf(
          "%s: median %.3f ms a step (quartiles %.3f, %.3f)%n",
          names[j], s[blocks / 2], s[blocks / 4], s[3 * blocks / 4]);
    }
    Arrays.sort(ratio);
    System.out.printf(
        "second/first per block: median %.3f (quartiles %.3f, %.3f); second faster in %d of %d"
            + " blocks of %d steps%n",
        ratio[blocks / 2], ratio[blocks / 4], ratio[3 * blocks / 4], wins, blocks, steps);
  }
}
