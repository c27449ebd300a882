package org.convcl.contract;

import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;

/** The backend every implementation is checked against: the double-precision reference. */
public final class Oracle {
  private Oracle() {}

  public static Ops open() {
    return new RefOps();
  }
}
