package org.convcl.cl;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convcl.impl.CacheDirectory;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Programs built once per (file, options) for one runtime's device, and their kernels created once
 * per name, each with its instances per call site ({@link KernelInstances}). A program's compiled
 * binary is kept on disk ({@link ProgramBinaryCache}, under {@link CacheDirectory}), so a later
 * process loads it instead of running the compiler; a missing, damaged or refused binary falls back
 * to the source. Not thread-safe: one {@link ClOps} uses it from one thread.
 */
public final class ProgramCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramCache.class);

  private record Key(String file, String options) {}

  private final ClRuntime runtime;
  private final Map<Key, cl_program> programs = new HashMap<>();
  private final Map<String, Kernel> kernels = new HashMap<>();
  private final ProgramBinaryCache binaries;
  private final List<Unstored> unstored = new ArrayList<>();
  private int binaryHits;

  /** A program built from source whose binary goes to the disk cache when this cache closes. */
  private record Unstored(byte[] key, cl_program program, String file, String options) {}

  /**
   * Kernel look-ups (one per launch) a program needs in this process before its binary is kept: a
   * training run launches its kernels thousands of times, a tuning candidate or a check a few
   * times, and keeping the hundreds of programs a tuning run tries would cost minutes at close
   * (PoCL compiles every kernel of a program to hand out its binary) to save nothing later.
   */
  static final int USES_TO_KEEP = 20;

  /**
   * How long close() may spend reading binaries out of the driver. After {@code convcl tune} dozens
   * of candidate programs qualify, and PoCL compiles every kernel of each to hand its binary out:
   * several seconds apiece, minutes in all, for programs mostly never used again. The most used go
   * first; a program not stored now is stored by the next run that uses it that often.
   */
  static final long STORE_BUDGET_NANOS = 10_000_000_000L;

  private final Map<Key, Integer> uses = new HashMap<>();

  /**
   * A kernel: its instances (one per call site, {@link KernelInstances}), its name and the largest
   * work-group it may be launched with on this device.
   */
  record Kernel(KernelInstances instances, String name, long maxGroup) {}

  ProgramCache(ClRuntime runtime) {
    this(
        runtime,
        new ProgramBinaryCache(CacheDirectory.resolve(), runtime.info(), runtime.device()));
  }

  ProgramCache(ClRuntime runtime, ProgramBinaryCache binaries) {
    this.runtime = runtime;
    this.binaries = binaries;
  }

  /** Kernel {@code name} of {@code /opencl/<file>} built with {@code options}. */
  Kernel kernel(String file, String options, String name) {
    uses.merge(new Key(file, options), 1, Integer::sum);
    String key = file + '\0' + options + '\0' + name;
    Kernel k = kernels.get(key);
    if (k == null) {
      KernelInstances instances = new KernelInstances(program(file, options), file, name);
      try {
        k = new Kernel(instances, name, maxGroup(instances.any(), name));
      } catch (RuntimeException e) {
        instances.close();
        throw e;
      }
      kernels.put(key, k);
    }
    return k;
  }

  /** CL_KERNEL_WORK_GROUP_SIZE: may be below the device's limit (registers, local memory). */
  private long maxGroup(cl_kernel handle, String name) {
    long[] size = new long[1];
    ClCall.run(
        "clGetKernelWorkGroupInfo(" + name + ")",
        () -> "querying the work-group limit of " + name,
        () ->
            CL.clGetKernelWorkGroupInfo(
                handle,
                runtime.device(),
                CL_KERNEL_WORK_GROUP_SIZE,
                Sizeof.size_t,
                Pointer.to(size),
                null));
    return size[0];
  }

  /** The program of {@code /opencl/<file>} (with common.cl prepended), built on first use. */
  cl_program program(String file, String options) {
    cl_program p = programs.get(new Key(file, options));
    return p != null
        ? p
        : build(file, KernelSource.program(file, KernelSource.read(file)), options);
  }

  /**
   * Builds {@code source} under the name {@code file} and caches it by (file, options).
   *
   * @throws ClBuildException with the file, the options and the full build log
   */
  public cl_program build(String file, String source, String options) {
    Key key = new Key(file, options);
    cl_program cached = programs.get(key);
    if (cached != null) {
      return cached;
    }
    byte[] binaryKey = binaries.key(source, options);
    Optional<byte[]> binary = binaries.load(binaryKey);
    cl_program program = binary.map(b -> fromBinary(file, options, b)).orElse(null);
    if (program != null) {
      binaryHits++;
    } else {
      program = fromSource(file, source, options);
      unstored.add(new Unstored(binaryKey, program, file, options));
    }
    programs.put(key, program);
    return program;
  }

  private cl_program fromSource(String file, String source, String options) {
    long start = System.nanoTime();
    cl_program program =
        ClCall.get(
            "clCreateProgramWithSource",
            () -> file,
            () ->
                CL.clCreateProgramWithSource(
                    runtime.context(), 1, new String[] {source}, null, null));
    try {
      CL.clBuildProgram(program, 1, new cl_device_id[] {runtime.device()}, options, null, null);
    } catch (CLException e) {
      String log = buildLog(program);
      CL.clReleaseProgram(program);
      throw new ClBuildException(
          file, options, runtime.info().spec() + " " + runtime.info().name(), log);
    }
    LOG.debug(
        "built {} [{}] from source in {} ms",
        file,
        options,
        (System.nanoTime() - start) / 1_000_000);
    return program;
  }

  /**
   * The program of a cached binary, or null (logged) when the driver refuses it: a binary from a
   * driver that kept its version string, or one damaged in a way the checksum cannot see.
   */
  private cl_program fromBinary(String file, String options, byte[] binary) {
    long start = System.nanoTime();
    cl_device_id[] device = {runtime.device()};
    cl_program program;
    try {
      program =
          CL.clCreateProgramWithBinary(
              runtime.context(),
              1,
              device,
              new long[] {binary.length},
              new byte[][] {binary},
              null,
              null);
    } catch (CLException e) {
      LOG.info(
          "the cached binary of {} [{}] was refused ({}); building from source",
          file,
          options,
          CL.stringFor_errorCode(e.getStatus()));
      return null;
    }
    try {
      CL.clBuildProgram(program, 1, device, options, null, null);
    } catch (CLException e) {
      CL.clReleaseProgram(program);
      LOG.info(
          "the cached binary of {} [{}] did not build ({}); building from source",
          file,
          options,
          CL.stringFor_errorCode(e.getStatus()));
      return null;
    }
    LOG.debug(
        "loaded {} [{}] from the program binary cache in {} ms",
        file,
        options,
        (System.nanoTime() - start) / 1_000_000);
    return program;
  }

  /** Stores the device binary of a program just built from source; failures only cost speed. */
  private void storeBinary(byte[] key, cl_program program, String file) {
    try {
      long[] size = new long[1];
      CL.clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
      if (size[0] <= 0 || size[0] > Integer.MAX_VALUE) {
        LOG.debug("{}: no program binary to cache (size {})", file, size[0]);
        return;
      }
      byte[] binary = new byte[(int) size[0]];
      Pointer[] binaries = {Pointer.to(binary)};
      CL.clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(binaries), null);
      this.binaries.store(key, binary);
    } catch (CLException e) {
      LOG.info(
          "{}: the program binary could not be read for the cache: {}",
          file,
          CL.stringFor_errorCode(e.getStatus()));
    }
  }

  /**
   * Stores the binaries of the programs used at least {@link #USES_TO_KEEP} times, most used first,
   * until {@link #STORE_BUDGET_NANOS} has passed.
   */
  private void storeMostUsedBinaries() {
    List<Unstored> keep =
        unstored.stream()
            .filter(u -> usesOf(u) >= USES_TO_KEEP)
            .sorted(java.util.Comparator.comparingInt(this::usesOf).reversed())
            .toList();
    long deadline = System.nanoTime() + STORE_BUDGET_NANOS;
    int stored = 0;
    for (Unstored u : keep) {
      if (System.nanoTime() - deadline > 0) {
        LOG.info(
            "stored {} program binaries; {} more are left to later runs (time budget)",
            stored,
            keep.size() - stored);
        return;
      }
      storeBinary(u.key(), u.program(), u.file());
      stored++;
    }
  }

  private int usesOf(Unstored u) {
    return uses.getOrDefault(new Key(u.file(), u.options()), 0);
  }

  /** Programs of this cache that came from the binary cache instead of the compiler. */
  public int binaryCacheHits() {
    return binaryHits;
  }

  /** Calls of clSetKernelArg made so far, all kernels together. */
  long argumentsSet() {
    return kernels.values().stream().mapToLong(k -> k.instances().argumentsSet()).sum();
  }

  /** Live {@code cl_kernel} instances, all kernels together. */
  int kernelInstances() {
    return kernels.values().stream().mapToInt(k -> k.instances().instanceCount()).sum();
  }

  /** Number of programs built so far (tests check that nothing is built twice). */
  public int programCount() {
    return programs.size();
  }

  private String buildLog(cl_program program) {
    try {
      long[] size = new long[1];
      CL.clGetProgramBuildInfo(program, runtime.device(), CL_PROGRAM_BUILD_LOG, 0, null, size);
      byte[] bytes = new byte[(int) size[0]];
      CL.clGetProgramBuildInfo(
          program, runtime.device(), CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
      int n = bytes.length;
      while (n > 0 && bytes[n - 1] == 0) {
        n--;
      }
      return new String(bytes, 0, n, StandardCharsets.UTF_8);
    } catch (CLException e) {
      return "(the build log could not be read: " + CL.stringFor_errorCode(e.getStatus()) + ")";
    }
  }

  /**
   * Writes the binaries of the programs built from source and used at least {@link #USES_TO_KEEP}
   * times to the disk cache, then releases every kernel and program. The binaries are stored here
   * rather than right after each build because a driver that compiles lazily (PoCL compiles each
   * kernel on first use) must compile every kernel of a program to hand out its binary: done at
   * close, that cost does not delay the first training step.
   */
  @Override
  public void close() {
    try {
      ReleaseAll.run(
          this::storeMostUsedBinaries,
          () -> ReleaseAll.each(kernels.values(), k -> k.instances().close()),
          () -> ReleaseAll.each(programs.values(), CL::clReleaseProgram));
    } finally {
      kernels.clear();
      programs.clear();
      unstored.clear();
      uses.clear();
    }
  }
}
