package org.convcl.cl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * The {@code cl_kernel} instances of one kernel (one program, one name), each keeping the arguments
 * of the call site it serves, so a repeated call passes nothing to the driver.
 *
 * <p>A call site is known by its buffers: the {@code cl_mem} of each buffer argument (by identity)
 * and the size of each {@code __local} one. A layer's launch names the same buffers every step (its
 * weights, its activations and, from {@link BufferPool}, the same scratch buffers), while two
 * layers, or a forward and a backward use of one kernel, differ in at least one of them. So a
 * launch takes the instance of its site and sets only the arguments whose value differs from what
 * that instance holds: none in a steady training step, only the scalars that truly change from step
 * to step otherwise (Adam's bias corrections, a dropout seed). Keying by the call's buffers needs
 * nothing from the launchers: they keep spelling every argument in order through {@link
 * KernelArgs}.
 *
 * <p>At most {@link #MAX_INSTANCES} instances exist per kernel. A site beyond that takes the least
 * recently launched instance and sets the arguments that differ, which is what every launch did
 * before instances were kept: a model with more sites than that for one kernel loses only the
 * saving, never correctness. {@link #close()} releases every instance; {@link ProgramCache} closes
 * these with its programs.
 */
final class KernelInstances implements AutoCloseable {
  /**
   * Instances per kernel. A step of the models this engine trains launches one kernel from a few
   * dozen sites at most (fill and copy across all layers); a {@code cl_kernel} costs the driver a
   * few hundred bytes.
   */
  static final int MAX_INSTANCES = 64;

  private final cl_program program;
  private final String name;
  private final String file;
  private final Map<Site, Instance> bySite = new LinkedHashMap<>(16, 0.75f, true); // LRU order
  private final Site probe = new Site();
  private Instance spare; // created before any launch (to query the kernel's limits), no site yet
  private long argumentsSet;

  KernelInstances(cl_program program, String file, String name) {
    this.program = program;
    this.file = file;
    this.name = name;
    this.spare = new Instance(create());
  }

  /** An instance, the first created; for queries that do not depend on arguments. */
  cl_kernel any() {
    return spare != null ? spare.handle : bySite.values().iterator().next().handle;
  }

  /**
   * The instance for {@code args}' call site, holding exactly {@code args} once this returns: only
   * the arguments that differ from what it held are passed to the driver.
   */
  cl_kernel bind(KernelArgs args) {
    probe.fill(args);
    Instance instance = bySite.get(probe);
    if (instance == null) {
      instance = take();
      bySite.put(probe.copy(), instance);
    }
    instance.apply(args);
    return instance.handle;
  }

  /** An instance for a new site: the spare, a new one, or the least recently launched. */
  private Instance take() {
    if (spare != null) {
      Instance s = spare;
      spare = null;
      return s;
    }
    if (bySite.size() < MAX_INSTANCES) {
      return new Instance(create());
    }
    Iterator<Instance> eldest = bySite.values().iterator();
    Instance reused = eldest.next();
    eldest.remove();
    return reused;
  }

  private cl_kernel create() {
    return ClCall.get(
        "clCreateKernel(" + name + ")", () -> file, () -> CL.clCreateKernel(program, name, null));
  }

  /** Calls of clSetKernelArg made so far for this kernel. */
  long argumentsSet() {
    return argumentsSet;
  }

  /** Live {@code cl_kernel} instances of this kernel. */
  int instanceCount() {
    return bySite.size() + (spare != null ? 1 : 0);
  }

  @Override
  public void close() {
    List<Instance> all = new ArrayList<>(bySite.values());
    if (spare != null) {
      all.add(spare);
    }
    bySite.clear();
    spare = null;
    ReleaseAll.each(all, i -> CL.clReleaseKernel(i.handle));
  }

  /** One {@code cl_kernel} and the arguments the driver holds for it. */
  private final class Instance {
    private final cl_kernel handle;
    private final KernelArgs held = new KernelArgs(name);

    Instance(cl_kernel handle) {
      this.handle = handle;
    }

    void apply(KernelArgs args) {
      for (int at = 0; at < args.count(); at++) {
        if (at < held.count() && same(args, held, at)) {
          continue;
        }
        set(args, at);
      }
    }

    private void set(KernelArgs args, int at) {
      KernelArgs.Kind kind = args.kind(at);
      long v = args.value(at);
      ClCall.run(
          "clSetKernelArg",
          () -> name + " argument " + at,
          () -> {
            switch (kind) {
              case MEM -> CL.clSetKernelArg(handle, at, Sizeof.cl_mem, Pointer.to(args.buffer(at)));
              case INT, FLOAT ->
                  CL.clSetKernelArg(handle, at, Sizeof.cl_int, Pointer.to(new int[] {(int) v}));
              case ULONG ->
                  CL.clSetKernelArg(handle, at, Sizeof.cl_ulong, Pointer.to(new long[] {v}));
              case LOCAL -> CL.clSetKernelArg(handle, at, v, null);
            }
          });
      argumentsSet++;
      held.put(at, kind, args.buffer(at), v); // recorded only once the driver took it
    }
  }

  private static boolean same(KernelArgs a, KernelArgs b, int at) {
    return a.kind(at) == b.kind(at) && a.buffer(at) == b.buffer(at) && a.value(at) == b.value(at);
  }

  /**
   * A call site: the buffer arguments by identity and the {@code __local} sizes, in order (scalars
   * count only by position). Mutable so that a look-up allocates nothing; the map holds copies.
   */
  private static final class Site {
    private Object[] parts = new Object[0]; // cl_mem, Long (local bytes) or null (a scalar)
    private int count;
    private int hash;

    void fill(KernelArgs args) {
      if (parts.length < args.count()) {
        parts = new Object[args.count()];
      }
      count = args.count();
      int h = count;
      for (int at = 0; at < count; at++) {
        Object p =
            switch (args.kind(at)) {
              case MEM -> args.buffer(at);
              case LOCAL -> Long.valueOf(args.value(at));
              default -> null;
            };
        parts[at] = p;
        h =
            31 * h
                + (p instanceof cl_mem ? System.identityHashCode(p) : p == null ? 0 : p.hashCode());
      }
      hash = h;
    }

    Site copy() {
      Site s = new Site();
      s.parts = Arrays.copyOf(parts, count);
      s.count = count;
      s.hash = hash;
      return s;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Site s) || s.count != count || s.hash != hash) {
        return false;
      }
      for (int at = 0; at < count; at++) {
        Object a = parts[at];
        Object b = s.parts[at];
        boolean same = a instanceof cl_mem ? a == b : a == null ? b == null : a.equals(b);
        if (!same) {
          return false;
        }
      }
      return true;
    }
  }
}
