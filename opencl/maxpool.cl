// maxpool.cl: max pooling forward (with argmax) and its backward upsample.
// CPU twins: CpuOps.maxPoolForward, CpuOps.maxPoolBackward.
//
// Versions:
//   v1  maxpool_forward_v1: one work-item per output element scans its window.
//   v2  maxpool_forward_v2: one work-item per POOL_OW adjacent outputs of one row, branch-free: every lane
//       visits the same window columns j < kW (the rows are clipped once, they are the same for every lane);
//       a column outside the input is read at a clamped address and masked out, and the winner rule is a
//       select, so the lanes vectorise. Same rule, same row-major order as v1, so the same output and argmax.
//   v1  maxpool_backward_v1: one work-item per input element gathers the gradOutput entries of every window
//       that covers it and selected it (argmax == its own index). Overlapping windows therefore add up
//       without races or atomics, in a fixed (oh, ow ascending) order.
//   v2  maxpool_backward_disjoint_v2: only for disjoint windows (strideH >= kH and strideW >= kW), where each
//       input cell lies in at most one window: the host zero-fills gradInput (fill_v1), then one work-item per
//       output writes gradOutput to its argmax cell. No cell is written twice, so a plain store is race-free.
//
// Formula: output[n][c][oh][ow] = max over the window rows ih = oh*strideH - padTop + i (i < kH) and columns
//   iw = ow*strideW - padLeft + j (j < kW) that lie inside the input; argmax = ih*W + iw of the first maximum
//   in row-major window order (padded cells never win); a NaN
//   is taken as the maximum (the first NaN wins), so bad data is not hidden.
//   gradInput[n][c][ih][iw] = sum_{windows (oh, ow) covering (ih, iw) with argmax == ih*W + iw}
//                               gradOutput[n][c][oh][ow] * f'(output[n][c][oh][ow]).
//   f' is the derivative of the activation that fed the pool, fused into the upsample (a runtime argument, not
//   a build option: kind as activation.cl's code, -1 none, 0 ReLU, 1 leaky ReLU with slope alpha >= 0), read
//   from the pooled forward output: at the argmax cell the activated input is that value, and y > 0 exactly
//   where x > 0. f'(y) = 1 for y > 0, else 0 (ReLU) or alpha (leaky ReLU); with kind -1, f' = 1 and output is
//   not read.
//
// Layouts: input, gradInput [N][C][H][W]; output, gradOutput [N][C][outH][outW]; argmax int [N][C][outH][outW].

#define POOL_DERIVATIVE_NONE -1
#define POOL_DERIVATIVE_LEAKY_RELU 1

// f'(output[o]) of the fused activation (see Formula); output is read only when there is one.
inline float pooled_derivative(__global const float* output, size_t o, int kind, float alpha) {
  if (kind == POOL_DERIVATIVE_NONE) {
    return 1.0f;
  }
  return output[o] > 0.0f ? 1.0f : (kind == POOL_DERIVATIVE_LEAKY_RELU ? alpha : 0.0f);
}
// NDRange: forward v1 global (roundUp(outH*outW), C, N), gid0 = oh*outW + ow;
//          forward v2 global (roundUp(outH*B), C, N), B = ceil(outW/POOL_OW), gid0 = oh*B + column block;
//          backward v1 global (roundUp(H*W), C, N), gid0 = ih*W + iw. gid1 = c, gid2 = n;
//          backward v2 global (roundUp(outH*outW), C, N), gid0 = oh*outW + ow.

__kernel void maxpool_forward_v1(__global const float* input, __global float* output, __global int* argmax,
                                 POOL_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= outH * outW) {
    return;
  }
  __global const float* in = input + ((size_t)n * C + c) * H * W;
  const pool_window win = pool_window_of(p, outW, kH, kW, strideH, strideW, padTop, padLeft, H, W);
  float best = 0.0f;
  int bestIndex = -1;
  for (int ih = win.ih0; ih < win.ih1; ih++) {
    for (int iw = win.iw0; iw < win.iw1; iw++) {
      const float v = in[ih * W + iw];
      if (bestIndex < 0 || v > best || (isnan(v) && !isnan(best))) {
        best = v;
        bestIndex = ih * W + iw;
      }
    }
  }
  const size_t o = ((size_t)n * C + c) * outH * outW + p;
  output[o] = best;
  argmax[o] = bestIndex;
}

#ifndef POOL_OW
#define POOL_OW 8  // outputs per work-item of maxpool_forward_v2 (the host passes its value)
#endif

__kernel void maxpool_forward_v2(__global const float* input, __global float* output, __global int* argmax,
                                 POOL_GEOMETRY_PARAMS) {
  const int blocks = (outW + POOL_OW - 1) / POOL_OW;
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= outH * blocks) {
    return;
  }
  const int oh = p / blocks;
  const int ow0 = (p - oh * blocks) * POOL_OW;
  __global const float* in = input + ((size_t)n * C + c) * H * W;
  const int h0 = oh * strideH - padTop;
  const int ih0 = max(h0, 0);
  const int ih1 = min(h0 + kH, H);
  float best[POOL_OW];
  int bestIndex[POOL_OW];
  for (int o = 0; o < POOL_OW; o++) {
    best[o] = 0.0f;
    bestIndex[o] = -1;
  }
  for (int ih = ih0; ih < ih1; ih++) {
    __global const float* row = in + ih * W;
    for (int j = 0; j < kW; j++) {
      for (int o = 0; o < POOL_OW; o++) {
        const int iw = (ow0 + o) * strideW - padLeft + j;
        const float v = row[clamp(iw, 0, W - 1)];
        const int inside = iw >= 0 & iw < W;
        const int take = inside & (bestIndex[o] < 0 | v > best[o] | (isnan(v) & !isnan(best[o])));
        best[o] = take ? v : best[o];
        bestIndex[o] = take ? ih * W + iw : bestIndex[o];
      }
    }
  }
  const size_t first = (((size_t)n * C + c) * outH + oh) * outW + ow0;
  for (int o = 0; o < POOL_OW && ow0 + o < outW; o++) {
    output[first + o] = best[o];
    argmax[first + o] = bestIndex[o];
  }
}

__kernel void maxpool_backward_v1(__global const float* gradOutput, __global const int* argmax,
                                  __global float* gradInput, __global const float* output, const int kind,
                                  const float alpha, POOL_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= H * W) {
    return;
  }
  const size_t plane = ((size_t)n * C + c) * outH * outW;
  const covering_windows cover =
      pool_windows_covering(p, W, kH, kW, strideH, strideW, padTop, padLeft, outH, outW);
  float acc = 0.0f;
  for (int oh = cover.oh0; oh <= cover.oh1; oh++) {
    for (int ow = cover.ow0; ow <= cover.ow1; ow++) {
      const size_t o = plane + oh * outW + ow;
      if (argmax[o] == p) {
        acc += gradOutput[o] * pooled_derivative(output, o, kind, alpha);
      }
    }
  }
  gradInput[((size_t)n * C + c) * H * W + p] = acc;
}

__kernel void maxpool_backward_disjoint_v2(__global const float* gradOutput, __global const int* argmax,
                                           __global float* gradInput, __global const float* output,
                                           const int kind, const float alpha, POOL_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= outH * outW) {
    return;
  }
  const size_t plane = (size_t)n * C + c;
  const size_t o = plane * outH * outW + p;
  const int a = argmax[o];
  // argmax is caller data: a value outside the plane must never become a write out of bounds.
  if ((uint)a < (uint)(H * W)) {
    gradInput[plane * H * W + a] = gradOutput[o] * pooled_derivative(output, o, kind, alpha);
  }
}
