// softmax_xent.cl: the softmax (inference), fused softmax and cross-entropy, and the row argmax used
// for accuracy. Both forward kernels share softmax_row, so they compute identical probabilities.
// CPU twins: CpuOps.softmaxForward, CpuOps.softmaxCrossEntropyForward,
//   CpuOps.softmaxCrossEntropyBackward, CpuOps.argmaxRows.
//
// Versions:
//   v1  softmax_forward_v1: one work-item per row, probabilities only (no labels, no losses).
//   v1  softmax_xent_forward_v1: one work-item per row (rows are short: the classes).
//   v1  softmax_xent_backward_v1: one work-item per element.
//   v1  argmax_rows_v1: one work-item per row, first maximum wins.
//
// Formula: m = max_i z[n][i]; probs[n][j] = exp(z[n][j] - m) / sum_i exp(z[n][i] - m);
//   losses[n] = log(sum_i exp(z[n][i] - m)) + m - z[n][label_n], NaN when label_n is outside [0, K);
//   gradLogits[n][j] = scale * (probs[n][j] - (j == label_n ? 1 : 0)); a row with a bad label gets NaN.
// Layouts: logits, probs, gradLogits [N][K]; labels int [N]; losses [N]; argmax out int [N].
// NDRange: per-row kernels (softmax_forward_v1, softmax_xent_forward_v1, argmax_rows_v1) global
//   (roundUp(N)), gid0 = n; backward global (roundUp(N*K)), gid0 = n*K + j.

// One row of K logits z -> probs p = exp(z - m) / sum; stores m in *row_max and returns the sum.
// Subtracting the row maximum m keeps every exponent <= 0, so no logit overflows exp.
inline float softmax_row(__global const float* z, __global float* p, const int K, float* row_max) {
  float m = z[0];
  for (int j = 1; j < K; j++) {
    m = fmax(m, z[j]);
  }
  float sum = 0.0f;
  for (int j = 0; j < K; j++) {
    const float e = exp(z[j] - m);
    p[j] = e;
    sum += e;
  }
  for (int j = 0; j < K; j++) {
    p[j] = p[j] / sum;
  }
  *row_max = m;
  return sum;
}

__kernel void softmax_forward_v1(__global const float* logits, __global float* probs, const int N,
                                 const int K) {
  const int n = get_global_id(0);
  if (n >= N) {
    return;
  }
  float m;
  softmax_row(logits + (size_t)n * K, probs + (size_t)n * K, K, &m);
}

__kernel void softmax_xent_forward_v1(__global const float* logits, __global const int* labels,
                                      __global float* probs, __global float* losses, const int N,
                                      const int K) {
  const int n = get_global_id(0);
  if (n >= N) {
    return;
  }
  __global const float* z = logits + (size_t)n * K;
  float m;
  const float sum = softmax_row(z, probs + (size_t)n * K, K, &m);
  const int label = labels[n];
  losses[n] = (label >= 0 && label < K) ? log(sum) + m - z[label] : NAN;
}

__kernel void softmax_xent_backward_v1(__global const float* probs, __global const int* labels,
                                       const float scale, __global float* gradLogits, const int N,
                                       const int K) {
  const int i = get_global_id(0);
  if (i >= N * K) {
    return;
  }
  const int n = i / K;
  const int j = i - n * K;
  const int label = labels[n];
  const float target = label == j ? 1.0f : 0.0f;
  gradLogits[i] = (label >= 0 && label < K) ? scale * (probs[i] - target) : NAN;
}

__kernel void argmax_rows_v1(__global const float* x, __global int* out, const int N, const int K) {
  const int n = get_global_id(0);
  if (n >= N) {
    return;
  }
  __global const float* row = x + (size_t)n * K;
  int best = 0;
  for (int j = 1; j < K; j++) {
    if (row[j] > row[best]) {
      best = j;
    }
  }
  out[n] = best;
}
