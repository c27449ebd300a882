package org.convcl.nn.explain;

/**
 * One product in an explained sum, with 0-based indices: input {@code (ih, iw)}, filter tap {@code
 * (r, s)} and output {@code (oh, ow)}.
 */
public record Term(int ih, int iw, int r, int s, int oh, int ow) {}
