package org.convcl.impl;

/**
 * Which implementation runs, with which settings, and where that was decided ({@code override},
 * {@code tuned}, {@code shipped}, {@code fallback}: for logs and {@code --verbose}).
 */
public record Choice(String implementation, Settings settings, String source) {
  /** {@code conv_forward_v2 CONV_KB=8}. */
  public String label() {
    return settings.isEmpty() ? implementation : implementation + " " + settings;
  }
}
