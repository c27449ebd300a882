// avgpool.cl: average pooling forward and backward. CPU twins: CpuOps.avgPoolForward, CpuOps.avgPoolBackward.
//
// Versions:
//   v1  avgpool_forward_v1: one work-item per output element sums its window.
//   v1  avgpool_backward_v1: one work-item per input element gathers gradOutput / divisor from every window
//       that covers it (a gather: no races, no atomics).
//
// Formula: output[n][c][oh][ow] = (1 / d) * sum over the window's real input cells, with d from
//   avg_pool_divisor (common.cl): the window clipped to the padded input when countIncludePad, else the
//   number of real cells. gradInput[n][c][ih][iw] = sum_{windows covering (ih, iw)} gradOutput[...][oh][ow] / d.
//
// Layouts: input, gradInput [N][C][H][W]; output, gradOutput [N][C][outH][outW].
// NDRange: forward global (roundUp(outH*outW), C, N), gid0 = oh*outW + ow;
//          backward global (roundUp(H*W), C, N), gid0 = ih*W + iw. gid1 = c, gid2 = n.

__kernel void avgpool_forward_v1(__global const float* input, __global float* output,
                                 const int countIncludePad, POOL_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= outH * outW) {
    return;
  }
  __global const float* in = input + ((size_t)n * C + c) * H * W;
  const pool_window win = pool_window_of(p, outW, kH, kW, strideH, strideW, padTop, padLeft, H, W);
  float acc = 0.0f;
  for (int ih = win.ih0; ih < win.ih1; ih++) {
    for (int iw = win.iw0; iw < win.iw1; iw++) {
      acc += in[ih * W + iw];
    }
  }
  const int d = avg_pool_divisor(win.h0, win.w0, kH, kW, H, W, padBottom, padRight, countIncludePad);
  output[((size_t)n * C + c) * outH * outW + p] = acc / (float)d;
}

__kernel void avgpool_backward_v1(__global const float* gradOutput, __global float* gradInput,
                                  const int countIncludePad, POOL_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= H * W) {
    return;
  }
  __global const float* dy = gradOutput + ((size_t)n * C + c) * outH * outW;
  const covering_windows cover =
      pool_windows_covering(p, W, kH, kW, strideH, strideW, padTop, padLeft, outH, outW);
  float acc = 0.0f;
  for (int oh = cover.oh0; oh <= cover.oh1; oh++) {
    for (int ow = cover.ow0; ow <= cover.ow1; ow++) {
      const int h0 = oh * strideH - padTop;
      const int w0 = ow * strideW - padLeft;
      const int d = avg_pool_divisor(h0, w0, kH, kW, H, W, padBottom, padRight, countIncludePad);
      acc += dy[oh * outW + ow] / (float)d;
    }
  }
  gradInput[((size_t)n * C + c) * H * W + p] = acc;
}
