package org.convcl.ops;

import java.util.List;

/**
 * A backend as a plug-in: found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.convcl.ops.BackendProvider}, so this package names no backend and a new one
 * is a package of its own plus one line in that file. {@link Backends} asks every provider for its
 * devices and opens the one a device spec names.
 */
public interface BackendProvider {
  /**
   * The first word of every spec this provider opens: {@code cpu}, {@code ref}, {@code opencl}. A
   * spec is this word alone or this word, a colon and provider-specific text.
   */
  String name();

  /** One line for listings and error messages, e.g. "plain Java, SIMD". */
  String summary();

  /**
   * The devices this provider can open on this machine, in its preferred order; empty when it has
   * none.
   *
   * @throws BackendUnavailableException when the provider's runtime is missing, with what to do
   */
  List<DeviceEntry> devices();

  /**
   * Opens the device {@code spec} names ({@link #name()} alone means the provider's default
   * device).
   *
   * @throws IllegalArgumentException when the spec names nothing this provider has, listing what it
   *     has
   * @throws BackendUnavailableException when the provider's runtime is missing
   */
  Ops open(String spec);
}
