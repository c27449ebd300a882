/**
 * Timing of the convolution passes and max pooling on the standard shapes for any backend ({@link
 * org.convcl.bench.Bench}); the figures of docs/performance.md and of {@code convcl bench}.
 */
package org.convcl.bench;
