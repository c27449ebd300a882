package org.convcl.tune;

import java.util.ArrayList;
import java.util.List;
import org.convcl.impl.Pass;
import org.convcl.nn.Conv2d;
import org.convcl.nn.Layer;
import org.convcl.nn.ModelSpec;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Shape;

/** One pass of one layer to tune: {@code layer} names it for the report ("conv5x5x20 #1"). */
public record TuneJob(String layer, Pass pass, ConvGeometry geometry) {
  /**
   * The passes a training step of model {@code spec} runs, for {@code batch} items of {@code
   * inputItem}: forward and filter gradient of every convolution, and the input gradient of every
   * one but the first (whose input gradient a step never needs).
   */
  public static List<TuneJob> forModel(String spec, Shape inputItem, int batch) {
    List<TuneJob> jobs = new ArrayList<>();
    Shape item = inputItem;
    int index = 0;
    for (Layer layer : ModelSpec.parse(spec)) {
      if (layer instanceof Conv2d conv) {
        index++;
        ConvGeometry g = conv.geometry(item, batch);
        String name = layer.spec() + " #" + index;
        jobs.add(new TuneJob(name, Pass.CONV_FORWARD, g));
        if (index > 1) {
          jobs.add(new TuneJob(name, Pass.CONV_BACKWARD_INPUT, g));
        }
        jobs.add(new TuneJob(name, Pass.CONV_BACKWARD_FILTER, g));
      }
      item = layer.outputItem(item);
    }
    return jobs;
  }
}
