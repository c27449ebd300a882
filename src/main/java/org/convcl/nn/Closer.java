package org.convcl.nn;

import org.convcl.tensor.Tensor;

/** Closes the tensors that are not null; used by layers' {@code close}. */
final class Closer {
  private Closer() {}

  static void closeAll(Tensor... tensors) {
    for (Tensor t : tensors) {
      if (t != null) {
        t.close();
      }
    }
  }
}
