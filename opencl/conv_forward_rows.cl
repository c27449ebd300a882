// conv_forward_rows.cl: the forward pass of a convolution with column stride 1, FR_COLS adjacent output columns x
// FR_KB filters per work-item over zero-widened input rows, for layers with few input channels (LeNet's layers:
// C = 1 and C = 20). CPU twin: CpuOps.convForward. Registered as conv_forward_rows_v1 (ClImplementations).
//
// Versions:
//   v1  conv_forward_rows_v1: the host first copies the input into inPad, each row widened with zeros
//       (elementwise.cl pad_columns_v2), so every tap reads a whole vector of FR_COLS columns with no bounds test;
//       rows outside the input are skipped by the r range (the same for every lane). The filters of the
//       work-group's FR_KB filters are staged once in local memory as [C/groups][R][S][FR_KB]; each tap is one
//       vload of inPad times one filter value per filter. Sums in (c', r, s) order, as conv_forward_v1; padded
//       columns add 0*w, as conv_forward_v2 and CpuOps.convForward do (so an infinite or NaN weight seen only
//       through padding gives NaN, as there). strideW = 1 only (any strideH, any dilation).
//
// Formula (g = k / (K/groups), c = g*(C/groups) + c'):
//   output[n][k][oh][ow] = act(bias[k] + sum_{c' < C/groups, r < R, s < S} input[n][c][ih][iw] * weights[k][c'][r][s])
//   with act the fused epilogue (common.cl EPILOGUE: none, ReLU or leaky ReLU, a kernel argument),
//   ih = oh*strideH - padTop + r*dilationH, iw = ow - padLeft + s*dilationW; cells outside read 0.
//   inPad[n][c][ih][q] = input[n][c][ih][q - padLeft] where 0 <= q - padLeft < W, else 0;
//   padW = roundUp(outW, FR_COLS) + (S-1)*dilationW columns, so the column read for (ow, s), q = ow + s*dilationW,
//   always lies inside its row.
//
// Layouts: inPad [N][C][H][padW], weights [K][C/groups][R][S], bias [K] (read only when hasBias),
//          output [N][K][outH][outW]; filters (local) [C/groups][R][S][FR_KB] floats, zero past the group's end.
// NDRange: global (roundUp(outH*B), groups*ceil((K/groups)/FR_KB), N) with B = ceil(outW/FR_COLS) column blocks;
//          gid0 = oh*B + block, gid1 = g*blocksPerGroup + filter block, gid2 = n. Any local size along dimension 0
//          (the group stages its filters together), 1 along the others.

#ifndef FR_COLS
#define FR_COLS 16  // output columns per work-item: 4, 8 or 16 (one OpenCL vector)
#endif
#ifndef FR_KB
#define FR_KB 2  // filters per work-item
#endif

#define FR_JOIN2(a, b) a##b
#define FR_JOIN(a, b) FR_JOIN2(a, b)
#define fr_vec FR_JOIN(float, FR_COLS)
#define fr_vload FR_JOIN(vload, FR_COLS)
#define fr_vstore FR_JOIN(vstore, FR_COLS)

// Stages weights[k0 + kb][c'][r][s] as filters[(c'*R*S + t)*FR_KB + kb], t = r*S + s, zero for kb >= kCount.
inline void stage_forward_filters(__local float* filters, __global const float* weights, int k0, int kCount,
                                  int cg, int rs) {
  const int count = cg * rs * FR_KB;
  for (int i = get_local_id(0); i < count; i += get_local_size(0)) {
    const int kb = i % FR_KB;
    const int ct = i / FR_KB;  // c'*rs + t
    filters[i] = kb < kCount ? weights[(size_t)(k0 + kb) * cg * rs + ct] : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

__kernel void conv_forward_rows_v1(__global const float* inPad, __global const float* weights,
                                   __global const float* bias, const int hasBias, EPILOGUE_PARAMS,
                                   __global float* output, __local float* filters, const int padW,
                                   CONV_GEOMETRY_PARAMS) {
  const int blocks = (outW + FR_COLS - 1) / FR_COLS;
  const int p = get_global_id(0);
  const int n = get_global_id(2);
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (kg + FR_KB - 1) / FR_KB;
  const int g = get_global_id(1) / blocksPerGroup;
  const int k0 = g * kg + (get_global_id(1) - g * blocksPerGroup) * FR_KB;
  const int kCount = min(FR_KB, g * kg + kg - k0);
  const int rs = R * S;
  stage_forward_filters(filters, weights, k0, kCount, cg, rs);  // every work-item, before any returns
  if (p >= outH * blocks) {
    return;
  }
  const int oh = p / blocks;
  const int ow0 = (p - oh * blocks) * FR_COLS;
  const int top = oh * strideH - padTop;  // ih = top + r*dilationH
  const int rFirst = top < 0 ? (-top + dilationH - 1) / dilationH : 0;  // first r with ih >= 0
  const int rEnd = min(R, top >= H ? 0 : (H - 1 - top) / dilationH + 1);  // past the last r with ih < H
  fr_vec acc[FR_KB];
  for (int kb = 0; kb < FR_KB; kb++) {
    acc[kb] = (fr_vec)(0.0f);
  }
  for (int cc = 0; cc < cg; cc++) {
    __global const float* plane = inPad + ((size_t)n * C + g * cg + cc) * H * padW + ow0;
    __local const float* fc = filters + cc * rs * FR_KB;
    for (int r = rFirst; r < rEnd; r++) {
      __global const float* row = plane + (size_t)(top + r * dilationH) * padW;
      __local const float* f = fc + r * S * FR_KB;
      for (int s = 0; s < S; s++) {
        const fr_vec x = fr_vload(0, row + s * dilationW);
        for (int kb = 0; kb < FR_KB; kb++) {
          acc[kb] += x * f[s * FR_KB + kb];
        }
      }
    }
  }
  for (int kb = 0; kb < kCount; kb++) {
    const float b = hasBias ? bias[k0 + kb] : 0.0f;
    const fr_vec y = acc[kb] + b;
    const fr_vec v = EPILOGUE(fr_vec, y);
    __global float* out = output + (((size_t)n * K + k0 + kb) * outH + oh) * outW + ow0;
    if (ow0 + FR_COLS <= outW) {
      fr_vstore(v, 0, out);
    } else {
      float lanes[FR_COLS];
      fr_vstore(v, 0, lanes);
      for (int j = 0; ow0 + j < outW; j++) {
        out[j] = lanes[j];
      }
    }
  }
}
