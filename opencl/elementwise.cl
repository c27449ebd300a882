// elementwise.cl: fill, copy, multiply and inverted dropout.
// CPU twins: CpuOps.fill, CpuOps.copy, CpuOps.multiply, CpuOps.dropoutForward.
//
// Versions:
//   v1  fill_v1, copy_v1, multiply_v1, dropout_forward_v1: one work-item per element.
//
// Formula: fill t[i] = value; copy dst[i] = src[i] (32-bit words, so float and int tensors alike);
//   multiply out[i] = a[i] * b[i];
//   dropout: keep = counter_random_uniform(seed, i) >= p (common.cl, equal to CounterRandom.uniform);
//            mask[i] = keep ? scale : 0 with scale = 1/(1-p) from the host; output[i] = input[i] * mask[i].
// Layouts: every buffer flat, n elements.
// NDRange: global (roundUp(n)), gid0 = element index.

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
