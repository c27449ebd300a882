package org.convcl.cl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Settings;
import org.convcl.impl.ShapeKey;
import org.convcl.impl.TableEntry;
import org.convcl.impl.Tunable;
import org.convcl.ops.Activation;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Launchers of opencl/maxpool.cl and opencl/avgpool.cl. */
final class PoolKernels {
  /** The versions of max pooling's backward pass in opencl/maxpool.cl. */
  enum BackwardVariant {
    /** Gather over the covering windows; any geometry. */
    V1_GATHER,
    /** Zero-fill, then a store per window; only for disjoint windows (stride >= kernel). */
    V2_DISJOINT;

    /** The variant used unless a test asks for another: v2 where its precondition holds. */
    static BackwardVariant defaultFor(PoolGeometry g) {
      return isDisjoint(g) ? V2_DISJOINT : V1_GATHER;
    }
  }

  /** No input cell lies in two windows. */
  static boolean isDisjoint(PoolGeometry g) {
    return g.params().strideH() >= g.params().kernelH()
        && g.params().strideW() >= g.params().kernelW();
  }

  /**
   * Outputs per work-item of maxpool_forward_v2, its build option: a tunable whose value comes from
   * the choice table (pass {@link #FORWARD_PASS}, implementation {@link #FORWARD_V2}; the shape key
   * {@link #shapeKey} or {@code *}), else this default. ClOps builds the rest of maxpool.cl with
   * the default, so where the table agrees one program serves every pooling kernel.
   */
  static final Tunable OUTPUTS_PER_ITEM = Tunable.of("POOL_OW", 8, 1, 2, 4, 8, 16);

  /** The pass label of max pooling's forward in the choice table. */
  static final String FORWARD_PASS = "maxPoolForward";

  static final String FORWARD_V2 = "maxpool_forward_v2";

  private static final Logger LOG = LoggerFactory.getLogger(PoolKernels.class);

  private final ClOps ops;

  /** POOL_OW per pool geometry, read from the table once per geometry. */
  private final Map<PoolGeometry, Integer> outputsPerItem = new ConcurrentHashMap<>();

  PoolKernels(ClOps ops) {
    this.ops = ops;
  }

  /** POOL_OW for {@code g}: the first usable table entry, else the tunable's default. */
  int outputsPerItem(PoolGeometry g) {
    return outputsPerItem.computeIfAbsent(g, this::chosenOutputsPerItem);
  }

  private int chosenOutputsPerItem(PoolGeometry g) {
    ImplementationRegistry<ClOps> r = ops.registry();
    List<String> shapes = List.of(ShapeKey.of(g), ShapeKey.ANY);
    for (TableEntry e : r.table().candidates(r.deviceKey(), FORWARD_PASS, shapes)) {
      if (!FORWARD_V2.equals(e.implementation())) {
        continue;
      }
      String why;
      try {
        int v = Settings.parse(e.settings()).get(OUTPUTS_PER_ITEM);
        if (OUTPUTS_PER_ITEM.legal().contains(v)) {
          return v;
        }
        why = OUTPUTS_PER_ITEM.name() + " = " + v + " is not one of " + OUTPUTS_PER_ITEM.legal();
      } catch (IllegalArgumentException ex) {
        why = ex.getMessage();
      }
      LOG.info("ignoring choice-table entry {} {} {}: {}", e.pass(), e.shape(), e.settings(), why);
    }
    return OUTPUTS_PER_ITEM.defaultValue();
  }

  /** The versions of max pooling's forward pass in opencl/maxpool.cl. */
  enum ForwardVariant {
    /** One work-item per output. */
    V1_DIRECT,
    /** POOL_OW adjacent outputs per work-item (from the choice table), branch-free; the default. */
    V2_ROW_BLOCK
  }

  void maxForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    maxForward(ForwardVariant.V2_ROW_BLOCK, input, output, argmax, g);
  }

  void maxForward(ForwardVariant v, Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    if (v == ForwardVariant.V2_ROW_BLOCK) {
      maxForwardBlocked(outputsPerItem(g), input, output, argmax, g);
      return;
    }
    Launch l = ops.launch("maxpool.cl", "maxpool_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).tensor(ops.cl(argmax));
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.outH() * g.outW(), g.c(), g.n(), () -> "maxPoolForward " + g);
  }

  /** maxpool_forward_v2 with {@code perItem} (POOL_OW) outputs per work-item. */
  void maxForwardBlocked(int perItem, Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    if (!OUTPUTS_PER_ITEM.legal().contains(perItem)) {
      throw new IllegalArgumentException(
          OUTPUTS_PER_ITEM.name() + " = " + perItem + " is not one of " + OUTPUTS_PER_ITEM.legal());
    }
    String options = "-D" + OUTPUTS_PER_ITEM.name() + "=" + perItem;
    Launch l = ops.launch("maxpool.cl", options, FORWARD_V2, FORWARD_V2 + " POOL_OW=" + perItem);
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).tensor(ops.cl(argmax));
    GeometryArgs.pool(l.args(), g);
    long columns = (g.outW() + perItem - 1) / perItem;
    l.spatial(g.outH() * columns, g.c(), g.n(), () -> "maxPoolForward " + g);
  }

  /**
   * The upsample, times {@code derivative}'s f' read from the pooled {@code output} when a
   * derivative is given (null: neither is used).
   */
  void maxBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    maxBackward(
        BackwardVariant.defaultFor(g), gradOutput, argmax, gradInput, g, derivative, output);
  }

  void maxBackward(
      BackwardVariant v,
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    if (v == BackwardVariant.V2_DISJOINT) {
      if (!isDisjoint(g)) {
        throw new IllegalArgumentException(
            "maxpool_backward_disjoint_v2 needs stride >= kernel, not " + g.params());
      }
      ops.fill(gradInput, 0f);
    }
    String kernel =
        v == BackwardVariant.V1_GATHER ? "maxpool_backward_v1" : "maxpool_backward_disjoint_v2";
    Launch l = ops.launch("maxpool.cl", kernel);
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(argmax)).tensor(ops.cl(gradInput));
    // maxpool.cl's kind and alpha are activation.cl's codes, as the forward epilogue writes them.
    l.args().mem(derivative == null ? ops.dummy() : ops.cl(output).buffer()).epilogue(derivative);
    GeometryArgs.pool(l.args(), g);
    long plane = v == BackwardVariant.V1_GATHER ? (long) g.h() * g.w() : (long) g.outH() * g.outW();
    l.spatial(plane, g.c(), g.n(), () -> "maxPoolBackward " + g);
  }

  void avgForward(Tensor input, Tensor output, PoolGeometry g) {
    Launch l = ops.launch("avgpool.cl", "avgpool_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).bool(g.params().countIncludePad());
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.outH() * g.outW(), g.c(), g.n(), () -> "avgPoolForward " + g);
  }

  void avgBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    Launch l = ops.launch("avgpool.cl", "avgpool_backward_v1");
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(gradInput));
    l.args().bool(g.params().countIncludePad());
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.h() * g.w(), g.c(), g.n(), () -> "avgPoolBackward " + g);
  }
}
