package org.convcl.tune;

import java.util.ArrayList;
import java.util.List;
import org.convcl.impl.Pass;
import org.convcl.nn.Conv2d;
import org.convcl.nn.Dense;
import org.convcl.nn.Layer;
import org.convcl.nn.ModelSpec;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;

/** One pass of one layer to tune: {@code layer} names it for the report ("conv5x5x20 #1"). */
public record TuneJob(String layer, Pass pass, ConvGeometry geometry) {
  /**
   * The passes a training step of model {@code spec} runs, for {@code batch} items of {@code
   * inputItem}: forward and filter (weight) gradient of every convolution and dense layer (the
   * latter as pointwise convolutions), and the input gradient of every one that is not the model's
   * first layer (whose input gradient a step never needs).
   */
  public static List<TuneJob> forModel(String spec, Shape inputItem, int batch) {
    List<TuneJob> jobs = new ArrayList<>();
    Shape item = inputItem;
    int index = 0;
    boolean first = true;
    for (Layer layer : ModelSpec.parse(spec)) {
      ConvGeometry g = null;
      if (layer instanceof Conv2d conv) {
        g = conv.geometry(item, batch);
      } else if (layer instanceof Dense) {
        // The products of a dense layer are a pointwise convolution (ClOps runs them so).
        int out = layer.outputItem(item).size();
        g = ConvGeometry.of(batch, item.size(), 1, 1, out, ConvParams.of(1));
      }
      if (g != null) {
        String name = layer.spec() + " #" + ++index;
        jobs.add(new TuneJob(name, Pass.CONV_FORWARD, g));
        if (!first) {
          jobs.add(new TuneJob(name, Pass.CONV_BACKWARD_INPUT, g));
        }
        jobs.add(new TuneJob(name, Pass.CONV_BACKWARD_FILTER, g));
      }
      first = false;
      item = layer.outputItem(item);
    }
    return jobs;
  }
}
