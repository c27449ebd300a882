package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * How the direct kernels split a convolution pass into tasks: one per (outer index, group, tile of
 * {@link DirectConvKernel#FILTERS} filters), in that order, {@code task = (outer * groups + group)
 * * tiles + tile}. The outer index is the image in the forward pass ({@link DirectForward}) and the
 * chunk of images in the filter gradient ({@link DirectBackwardFilter}).
 */
final class FilterTiles {
  private FilterTiles() {}

  /** Tiles of {@link DirectConvKernel#FILTERS} filters per group. */
  static int tiles(ConvGeometry g) {
    return (g.filtersPerGroup() + DirectConvKernel.FILTERS - 1) / DirectConvKernel.FILTERS;
  }

  /** Tasks for {@code outer} outer indices. */
  static int tasks(ConvGeometry g, int outer) {
    return outer * g.groups() * tiles(g);
  }

  /** The outer index of {@code task}. */
  static int outer(ConvGeometry g, int task) {
    return task / (g.groups() * tiles(g));
  }

  /** The group of {@code task}. */
  static int group(ConvGeometry g, int task) {
    return task / tiles(g) % g.groups();
  }

  /** The tile of {@code task} among all groups' tiles ({@code group * tiles + tile}). */
  static int groupTile(ConvGeometry g, int task) {
    return task % (g.groups() * tiles(g));
  }

  /** The first filter of {@code task}'s tile. */
  static int firstFilter(ConvGeometry g, int task) {
    return group(g, task) * g.filtersPerGroup() + task % tiles(g) * DirectConvKernel.FILTERS;
  }

  /** The filters of {@code task}'s tile (fewer than FILTERS at a group's end). */
  static int filters(ConvGeometry g, int task) {
    return Math.min(
        DirectConvKernel.FILTERS,
        (group(g, task) + 1) * g.filtersPerGroup() - firstFilter(g, task));
  }
}
