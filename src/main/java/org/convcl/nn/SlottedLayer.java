package org.convcl.nn;

/**
 * What the layers that can skip their input gradient share (activation, conv, dense, dropout,
 * pooling): the output and input-gradient slots, reused from batch to batch, and whether anything
 * below wants the input gradient (the first layer's is skipped, see {@link Layer#skipGradInput}). A
 * subclass that holds more tensors closes them in its own close() and then calls {@code
 * super.close()}.
 */
abstract class SlottedLayer implements Layer {
  final Slot output = new Slot();
  final Slot gradInput = new Slot();
  private boolean needGradInput = true;

  /** False after skipGradInput: backward then returns null without computing gradInput. */
  final boolean needGradInput() {
    return needGradInput;
  }

  @Override
  public final void skipGradInput() {
    needGradInput = false;
  }

  @Override
  public void close() {
    output.close();
    gradInput.close();
  }
}
