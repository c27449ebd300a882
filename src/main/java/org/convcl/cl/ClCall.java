package org.convcl.cl;

import java.util.function.Supplier;
import org.jocl.CLException;

/**
 * Runs one JOCL call with exceptions enabled and turns its {@link CLException} into a {@link
 * ClException} that names the call and what ConvCL was doing.
 */
final class ClCall {
  private ClCall() {}

  static <T> T get(String call, Supplier<String> context, Supplier<T> action) {
    try {
      return action.get();
    } catch (CLException e) {
      throw new ClException(call, e.getStatus(), context.get(), e);
    }
  }

  static void run(String call, Supplier<String> context, Runnable action) {
    try {
      action.run();
    } catch (CLException e) {
      throw new ClException(call, e.getStatus(), context.get(), e);
    }
  }
}
