// elementwise.cl: fill, copy, multiply, inverted dropout, and the zero-widened row copy.
// CPU twins: CpuOps.fill, CpuOps.copy, CpuOps.multiply, CpuOps.dropoutForward (pad_columns_v2 has none: it
// only serves conv_backward_input_rows.cl and conv_forward_rows.cl).
//
// Versions:
//   v1  fill_v1, copy_v1, multiply_v1, dropout_forward_v1: one work-item per element.
//   v2  pad_columns_v2: one work-item per row, three branch-free loops (left zeros, the copy, right zeros); v1
//       (one work-item per element, over roundUp(dstW) x rows) idled up to half its work-items on short rows and
//       took half of LeNet's input-gradient time on PoCL.
//
// Formula: fill t[i] = value; copy dst[i] = src[i] (32-bit words, so float and int tensors alike);
//   multiply out[i] = a[i] * b[i];
//   dropout: keep = counter_random_uniform(seed, i) >= p (common.cl, equal to CounterRandom.uniform);
//            mask[i] = keep ? scale : 0 with scale = 1/(1-p) from the host; output[i] = input[i] * mask[i].
//   pad_columns: dst[row][q] = src[row][q - left] where 0 <= q - left < srcW, else 0.
// Layouts: every buffer flat, n elements; pad_columns src [rows][srcW], dst [rows][dstW].
// NDRange: global (roundUp(n)), gid0 = element index; pad_columns global (roundUp(rows)), gid0 = row.

__kernel void fill_v1(__global float* t, const int n, const float value) {
  const int i = get_global_id(0);
  if (i < n) {
    t[i] = value;
  }
}

__kernel void copy_v1(__global const uint* src, __global uint* dst, const int n) {
  const int i = get_global_id(0);
  if (i < n) {
    dst[i] = src[i];
  }
}

__kernel void multiply_v1(__global const float* a, __global const float* b, __global float* out, const int n) {
  const int i = get_global_id(0);
  if (i < n) {
    out[i] = a[i] * b[i];
  }
}

__kernel void dropout_forward_v1(__global const float* input, __global float* output, __global float* mask,
                                 const int n, const float p, const ulong seed, const float scale) {
  const int i = get_global_id(0);
  if (i >= n) {
    return;
  }
  const float keep = counter_random_uniform(seed, (uint)i) >= p ? scale : 0.0f;
  mask[i] = keep;
  output[i] = input[i] * keep;
}

__kernel void pad_columns_v2(__global const float* src, __global float* dst, const int srcW, const int dstW,
                             const int left, const int rows) {
  const size_t row = get_global_id(0);
  if (row >= (size_t)rows) {
    return;
  }
  __global const float* in = src + row * srcW;
  __global float* out = dst + row * dstW;
  const int copyFrom = clamp(left, 0, dstW);
  const int copyTo = clamp(left + srcW, copyFrom, dstW);
  for (int q = 0; q < copyFrom; q++) {
    out[q] = 0.0f;
  }
  for (int q = copyFrom; q < copyTo; q++) {
    out[q] = in[q - left];
  }
  for (int q = copyTo; q < dstW; q++) {
    out[q] = 0.0f;
  }
}
