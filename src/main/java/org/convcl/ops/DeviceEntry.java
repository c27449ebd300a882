package org.convcl.ops;

/**
 * One device a provider can open, as {@code convcl devices} lists it.
 *
 * @param spec what {@code --device} takes to open it, e.g. {@code cpu} or {@code opencl:0:0}
 * @param name the device's own name
 * @param type {@code GPU}, {@code CPU}, {@code ACCELERATOR}, ... as the provider reports it
 * @param autoRank how much {@code --device auto} prefers it (higher first); 0 or less: never auto
 * @param autoReason why auto would take it, for the log line ("it is a GPU")
 * @param details a few lines of properties for {@code convcl devices}
 */
public record DeviceEntry(
    String spec, String name, String type, int autoRank, String autoReason, String details) {
  /** auto's rank of a GPU. */
  public static final int RANK_GPU = 300;

  /** auto's rank of an OpenCL device that is not a GPU (PoCL on a CPU, an accelerator). */
  public static final int RANK_OTHER_DEVICE = 200;

  /** auto's rank of the plain-Java backend. */
  public static final int RANK_PLAIN_JAVA = 100;

  /** Never chosen by auto (the reference backend). */
  public static final int RANK_NEVER = 0;

  /** The entry with another rank and reason (auto's calibration re-ranks devices). */
  public DeviceEntry ranked(int rank, String reason) {
    return new DeviceEntry(spec, name, type, rank, reason, details);
  }
}
