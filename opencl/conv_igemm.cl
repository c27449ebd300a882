// conv_igemm.cl: the three convolution passes as tiled implicit GEMMs (no im2col buffer). Launcher and
// tunables: org.convcl.cl.ConvGemmKernels. CPU twins: CpuOps.convForward, convBackwardInput, convBackwardFilter.
//
// Versions (one core, igemm_core, behind four entry points; the pass is a literal, folded when inlined):
//   v1  conv_igemm_forward_v1: per group g, out(m, j) = sum_t A(m, t) B(t, j) with m = k' < K/groups,
//       t = (c', r, s) < (C/groups)*R*S, j = (n, oh, ow) < N*outH*outW; A = the weights, B = the input
//       gathered through the window (im2col, never stored), plus bias[k] when hasBias.
//   v1  conv_igemm_backward_input_v1: m = c' < C/groups, t = (k', r, s) < (K/groups)*R*S, j = (n, ih, iw) <
//       N*H*W; A(c', t) = weights[k][c'][r][s] (the transposed filter), B(t, j) = gradOutput[n][k][oh][ow] for
//       oh = (ih + padTop - r*dilationH)/strideH, ow likewise, when both divisions are exact and in range, else 0
//       (the fold gathered: no scatter, each gradInput element written by one work-item, unread cells exactly 0).
//   v1  conv_igemm_backward_input_unit_v1: the same for strideH = strideW = 1, where the gather is a plain
//       convolution of the padded gradOutput with the rotated filter (no division, no divisibility test).
//   v1  conv_igemm_backward_filter_v1: m = k' < K/groups, j = (c', r, s) < (C/groups)*R*S, t = (n, oh, ow) in
//       chunk z's range [z*chunkLen, min(N*outH*outW, (z+1)*chunkLen)); A(k', t) = gradOutput[n][k][oh][ow],
//       B(t, j) = the input under tap j of window t; writes partial[z][k][c'][r][s]. reduce.cl's reduce_chunks_v1
//       adds the chunks in ascending z (or the host writes gradWeights directly when there is one chunk).
//
// Formulas (g = group, k = g*(K/groups) + k', c = g*(C/groups) + c'; cells outside the input read 0):
//   output[n][k][oh][ow]      = act(bias[k] + sum_{c', r, s} input[n][c][ih][iw] * weights[k][c'][r][s]), act the
//                               fused epilogue (common.cl EPILOGUE, a kernel argument: none, ReLU, leaky ReLU)
//   gradInput[n][c][ih][iw]   = sum_{k', r, s} gradOutput[n][k][oh][ow] * weights[k][c'][r][s]  (exact oh, ow)
//   gradWeights[k][c'][r][s]  = sum_{n, oh, ow} gradOutput[n][k][oh][ow] * input[n][c][ih][iw]
//   with ih = oh*strideH - padTop + r*dilationH, iw = ow*strideW - padLeft + s*dilationW.
// Order: each output is one float accumulator (fma) that adds its terms in ascending t, whatever the tunables;
// tile padding adds exact zeros. The filter gradient's chunks depend on the shapes alone, so every result is
// the same run to run and the same for every tunable setting of one device's compiler.
//
// Layouts: input [N][C][H][W], weights [K][C/groups][R][S], bias [K], output [N][K][outH][outW],
//          partial [chunks][K*(C/groups)*R*S] (chunks = ceil(N*outH*outW / chunkLen)).
// NDRange (every version): global (ceil(cols/NWG)*NDIMC, ceil(M/MWG)*MDIMC, groups*chunks), local (NDIMC, MDIMC, 1);
//   group (x, y, z) computes rows [y*MWG, +MWG) x columns [x*NWG, +NWG) of group z/chunks, chunk z%chunks
//   (chunks = 1 for the forward and input gradient). cols, M: see each version above.
// Tunables (#ifndef defaults below; legal values and constraints in ConvGemmKernels.Pass): MWG NWG KWG are
//   the work-group tile (rows, columns, reduction step); KWI the steps unrolled per iteration (KWG % KWI = 0);
//   MDIMC NDIMC the work-group shape; work-item (x, y) owns
//   rows (i*MDIMC + y)*VWM + v and columns (i*NDIMC + x)*VWN + w (MWG/MDIMC x NWG/NDIMC outputs in registers,
//   columns as VWN-wide vectors); SA SB stage the A and B tiles in local memory (0: read them from global).
//   Local memory: 4*(SA*KWG*MWG + SB*KWG*NWG) + 16*(KWG + NWG) bytes.

#ifndef MWG
#define MWG 64
#endif
#ifndef NWG
#define NWG 64
#endif
#ifndef KWG
#define KWG 16
#endif
#ifndef KWI
#define KWI 1
#endif
#ifndef MDIMC
#define MDIMC 8
#endif
#ifndef NDIMC
#define NDIMC 8
#endif
#ifndef VWM
#define VWM 1
#endif
#ifndef VWN
#define VWN 4
#endif
#ifndef SA
#define SA 1
#endif
#ifndef SB
#define SB 1
#endif

#define WGS (MDIMC * NDIMC)
#define MWI (MWG / MDIMC)   // rows per work-item
#define MVECS (MWI / VWM)   // groups of VWM adjacent rows per work-item
#define NVECS (NWG / (NDIMC * VWN))  // VWN-wide column vectors per work-item

#if VWN == 1
typedef float realn;
#define LOADN(p) (*(p))
#define STOREN(v, p) (*(p) = (v))
#elif VWN == 2
typedef float2 realn;
#define LOADN(p) vload2(0, p)
#define STOREN(v, p) vstore2(v, 0, p)
#elif VWN == 4
typedef float4 realn;
#define LOADN(p) vload4(0, p)
#define STOREN(v, p) vstore4(v, 0, p)
#elif VWN == 8
typedef float8 realn;
#define LOADN(p) vload8(0, p)
#define STOREN(v, p) vstore8(v, 0, p)
#else
#error "VWN must be 1, 2, 4 or 8"
#endif

typedef union {
  realn v;
  float s[VWN];
} realn_lanes;

#define PASS_FORWARD 0
#define PASS_INPUT 1
#define PASS_FILTER 2

// A table entry whose B value is 0: its row offset puts every cell above the input.
#define DEAD_ROW (-(1 << 29))

// One side of a B element's address (see load_b): x = offset of the plane (folded: plus row*width + column),
// y z = row and column inside the padded plane, w = the offset this index contributes to A (t side) or to the
// output (j side).
// tap (c, r, s) of idx = (c*R + r)*S + s: plane c*chanStride, row sign*r*dilationH, w = c*extraStride + r*S + s.
inline int4 tap_entry(int idx, int R, int S, int dilationH, int dilationW, int chanStride, int sign,
                      int extraStride) {
  const int rs = R * S;
  const int c = idx / rs;
  const int t = idx - c * rs;
  const int r = t / S;
  const int s = t - r * S;
  return (int4)(c * chanStride, sign * r * dilationH, sign * s * dilationW, c * extraStride + t);
}

// pixel (n, y, x) of idx = (n*height + y)*width + x: plane n*imageStride, row y*strideY - padY,
// column x*strideX - padX, w = n*extraStride + y*width + x.
inline int4 pixel_entry(int idx, int plane, int width, int strideY, int strideX, int padY, int padX,
                        int imageStride, int extraStride) {
  const int n = idx / plane;
  const int p = idx - n * plane;
  const int y = p / width;
  const int x = p - y * width;
  return (int4)(n * imageStride, y * strideY - padY, x * strideX - padX, n * extraStride + p);
}

#define IGEMM_GEOMETRY \
  N, C, H, W, K, R, S, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups, outH, outW

// Where the address of a B cell is plane + row*width + column (every pass but the strided input gradient), x
// carries that sum's share of this entry, so load_b adds two offsets instead of recomputing it per cell.
inline int4 folded(const int fold, int width, int4 e) {
  if (fold) {
    e.x += e.y * width + e.z;
  }
  return e;
}

// The reduction index t: a filter tap for the forward and input gradient, a pixel for the filter gradient.
inline int4 t_entry(const int pass, const int unit, int t, CONV_GEOMETRY_PARAMS) {
  const int P = outH * outW;
  if (pass == PASS_FILTER) {
    return folded(1, W, pixel_entry(t, P, outW, strideH, strideW, padTop, padLeft, C * H * W, K * P));
  }
  if (pass == PASS_FORWARD) {
    return folded(1, W, tap_entry(t, R, S, dilationH, dilationW, H * W, 1, R * S));
  }
  return folded(unit, outW, tap_entry(t, R, S, dilationH, dilationW, P, -1, (C / groups) * R * S));
}

// The column index j: an output pixel (forward), an input pixel (input gradient), a filter tap (filter gradient).
inline int4 j_entry(const int pass, const int unit, int j, CONV_GEOMETRY_PARAMS) {
  if (pass == PASS_FILTER) {
    return folded(1, W, tap_entry(j, R, S, dilationH, dilationW, H * W, 1, R * S));
  }
  if (pass == PASS_FORWARD) {
    return folded(1, W,
                  pixel_entry(j, outH * outW, outW, strideH, strideW, padTop, padLeft, C * H * W, K * outH * outW));
  }
  return folded(unit, outW, pixel_entry(j, H * W, W, 1, 1, -padTop, -padLeft, K * outH * outW, C * H * W));
}

// B(t, j): the input (forward, filter gradient) or gradOutput (input gradient) cell at row te.y + je.y and
// column te.z + je.z of plane te.x + je.x; for the strided input gradient that row and column are strideH and
// strideW times the gradOutput row and column, read only when both divide exactly. 0 outside.
inline float load_b(const int pass, const int unit, __global const float* b, int4 te, int4 je,
                    CONV_GEOMETRY_PARAMS) {
  const int hh = te.y + je.y;
  const int ww = te.z + je.z;
  const int plane = te.x + je.x;  // with the row and column folded in (folded) except where strided
  if (pass != PASS_INPUT) {
    return ((uint)hh < (uint)H && (uint)ww < (uint)W) ? b[plane] : 0.0f;
  }
  if (unit) {
    return ((uint)hh < (uint)outH && (uint)ww < (uint)outW) ? b[plane] : 0.0f;
  }
  if (hh < 0 || ww < 0) {
    return 0.0f;
  }
  const int oh = hh / strideH;
  const int ow = ww / strideW;
  const bool hit = oh * strideH == hh && ow * strideW == ww && oh < outH && ow < outW;
  return hit ? b[plane + oh * outW + ow] : 0.0f;
}

// out(m, j) for m < M, j < cols of one group: c[m*cStride + jTab[j].w] = sum_{t0 <= t < t1} a[m*mStride +
// tTab[t].w] * B(t, j) (+ bias[m]). See the header for the tiling and the work-item mapping.
inline void igemm_core(const int pass, const int unit, __global const float* a, const int mStride,
                       __global const float* b, __global float* c, const int cStride,
                       __global const float* bias, const int hasBias, EPILOGUE_PARAMS, const int M,
                       const int cols,
                       const int t0, const int t1, __local float* alm, __local float* blm,
                       __local int4* tTab, __local int4* jTab, CONV_GEOMETRY_PARAMS) {
  const int tidn = get_local_id(0);
  const int tidm = get_local_id(1);
  const int lid = tidm * NDIMC + tidn;
  const int j0 = get_group_id(0) * NWG;
  const int m0 = get_group_id(1) * MWG;

  for (int i = lid; i < NWG; i += WGS) {
    jTab[i] = j0 + i < cols ? j_entry(pass, unit, j0 + i, IGEMM_GEOMETRY) : (int4)(0, DEAD_ROW, 0, 0);
  }

  realn acc[MWI][NVECS];
#pragma unroll
  for (int mi = 0; mi < MWI; mi++) {
#pragma unroll
    for (int ni = 0; ni < NVECS; ni++) {
      acc[mi][ni] = (realn)0.0f;
    }
  }

  for (int tt = t0; tt < t1; tt += KWG) {
    barrier(CLK_LOCAL_MEM_FENCE);  // the previous step's tiles and table are no longer read
    for (int i = lid; i < KWG; i += WGS) {
      tTab[i] = tt + i < t1 ? t_entry(pass, unit, tt + i, IGEMM_GEOMETRY) : (int4)(0, DEAD_ROW, 0, 0);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
#if SA
    // Along t across work-items (A's rows are contiguous in t), each work-item's t entry read once.
#if KWG % WGS == 0 || WGS % KWG == 0
    for (int t = lid % KWG; t < KWG; t += WGS) {
      const int aOff = tTab[t].w;
      const bool inRange = tt + t < t1;
      for (int m = lid / KWG; m < MWG; m += (WGS >= KWG ? WGS / KWG : 1)) {
        alm[t * MWG + m] = (inRange && m0 + m < M) ? a[(m0 + m) * mStride + aOff] : 0.0f;
      }
    }
#else
    for (int i = lid; i < KWG * MWG; i += WGS) {
      const int m = i / KWG;
      const int t = i - m * KWG;
      alm[t * MWG + m] = (m0 + m < M && tt + t < t1) ? a[(m0 + m) * mStride + tTab[t].w] : 0.0f;
    }
#endif
#endif
#if SB
    // Consecutive work-items read consecutive addresses: along j (pixels) for the forward and input gradient,
    // along t (pixels) for the filter gradient. Nested so that each work-item's fixed index entry is read once.
    if (pass == PASS_FILTER) {
#if KWG % WGS == 0 || WGS % KWG == 0
      for (int t = lid % KWG; t < KWG; t += WGS) {
        const int4 te = tTab[t];
        for (int jl = lid / KWG; jl < NWG; jl += (WGS >= KWG ? WGS / KWG : 1)) {
          blm[t * NWG + jl] = load_b(pass, unit, b, te, jTab[jl], IGEMM_GEOMETRY);
        }
      }
#else
      for (int i = lid; i < KWG * NWG; i += WGS) {
        const int t = i % KWG;
        const int jl = i / KWG;
        blm[t * NWG + jl] = load_b(pass, unit, b, tTab[t], jTab[jl], IGEMM_GEOMETRY);
      }
#endif
    } else {
#if NWG % WGS == 0 || WGS % NWG == 0
      for (int jl = lid % NWG; jl < NWG; jl += WGS) {
        const int4 je = jTab[jl];
        for (int t = lid / NWG; t < KWG; t += (WGS >= NWG ? WGS / NWG : 1)) {
          blm[t * NWG + jl] = load_b(pass, unit, b, tTab[t], je, IGEMM_GEOMETRY);
        }
      }
#else
      for (int i = lid; i < KWG * NWG; i += WGS) {
        const int t = i / NWG;
        const int jl = i % NWG;
        blm[t * NWG + jl] = load_b(pass, unit, b, tTab[t], jTab[jl], IGEMM_GEOMETRY);
      }
#endif
    }
#endif
    barrier(CLK_LOCAL_MEM_FENCE);

    // KWI steps unrolled: straight-line code keeps PoCL's accumulators in registers where its work-group
    // loops would otherwise run the step loop outside the loop over work-items (tuned per device).
    for (int tk = 0; tk < KWG; tk += KWI) {
#pragma unroll
      for (int tu = 0; tu < KWI; tu++) {
        const int t = tk + tu;
        realn bv[NVECS];
#pragma unroll
        for (int ni = 0; ni < NVECS; ni++) {
          const int jl = (ni * NDIMC + tidn) * VWN;
#if SB
          bv[ni] = LOADN(blm + t * NWG + jl);
#else
          realn_lanes l;
#pragma unroll
          for (int w = 0; w < VWN; w++) {
            l.s[w] = load_b(pass, unit, b, tTab[t], jTab[jl + w], IGEMM_GEOMETRY);
          }
          bv[ni] = l.v;
#endif
        }
#pragma unroll
        for (int mi = 0; mi < MWI; mi++) {
          const int ml = ((mi / VWM) * MDIMC + tidm) * VWM + mi % VWM;
#if SA
          const float av = alm[t * MWG + ml];
#else
          const float av = (m0 + ml < M && tt + t < t1) ? a[(m0 + ml) * mStride + tTab[t].w] : 0.0f;
#endif
#pragma unroll
          for (int ni = 0; ni < NVECS; ni++) {
            acc[mi][ni] = fma((realn)av, bv[ni], acc[mi][ni]);
          }
        }
      }
    }
  }

#pragma unroll
  for (int mi = 0; mi < MWI; mi++) {
    const int m = m0 + ((mi / VWM) * MDIMC + tidm) * VWM + mi % VWM;
    if (m < M) {
      const float add = hasBias ? bias[m] : 0.0f;
#pragma unroll
      for (int ni = 0; ni < NVECS; ni++) {
        const int jv = (ni * NDIMC + tidn) * VWN;
        const realn y = hasBias ? acc[mi][ni] + add : acc[mi][ni];
        const realn v = EPILOGUE(realn, y);
        const int first = jTab[jv].w;
        if (VWN > 1 && j0 + jv + VWN - 1 < cols && jTab[jv + VWN - 1].w == first + VWN - 1) {
          STOREN(v, c + m * cStride + first);  // the VWN columns are adjacent in memory (one image row or plane)
        } else {
          realn_lanes l;
          l.v = v;
#pragma unroll
          for (int w = 0; w < VWN; w++) {
            if (j0 + jv + w < cols) {
              c[m * cStride + jTab[jv + w].w] = l.s[w];
            }
          }
        }
      }
    }
  }
}

// Local storage of one work-group: declared in each kernel (OpenCL C wants __local arrays at kernel scope).
#define IGEMM_LOCALS                       \
  __local float alm[SA ? KWG * MWG : 1];   \
  __local float blm[SB ? KWG * NWG : 1];   \
  __local int4 tTab[KWG];                  \
  __local int4 jTab[NWG]

__attribute__((reqd_work_group_size(NDIMC, MDIMC, 1))) __kernel void conv_igemm_forward_v1(
    __global const float* input, __global const float* weights, __global const float* bias, const int hasBias,
    EPILOGUE_PARAMS, __global float* output, CONV_GEOMETRY_PARAMS) {
  IGEMM_LOCALS;
  const int g = get_group_id(2);
  const int cg = C / groups;
  const int kg = K / groups;
  const int T = cg * R * S;
  const int P = outH * outW;
  igemm_core(PASS_FORWARD, 1, weights + g * kg * T, T, input + g * cg * H * W, output + g * kg * P, P,
             bias + g * kg, hasBias, epilogue, epilogueAlpha, kg, N * P, 0, T, alm, blm, tTab, jTab,
             IGEMM_GEOMETRY);
}

// The input gradient's two entry points share this body; unit = 1 only where strideH = strideW = 1.
inline void igemm_backward_input(const int unit, __global const float* gradOutput, __global const float* weights,
                                 __global float* gradInput, __local float* alm, __local float* blm,
                                 __local int4* tTab, __local int4* jTab, CONV_GEOMETRY_PARAMS) {
  const int g = get_group_id(2);
  const int cg = C / groups;
  const int kg = K / groups;
  const int RS = R * S;
  igemm_core(PASS_INPUT, unit, weights + g * kg * cg * RS, RS, gradOutput + g * kg * outH * outW,
             gradInput + g * cg * H * W, H * W, weights, 0, EPILOGUE_NONE, 0.0f, cg, N * H * W, 0, kg * RS, alm,
             blm, tTab, jTab, IGEMM_GEOMETRY);
}

__attribute__((reqd_work_group_size(NDIMC, MDIMC, 1))) __kernel void conv_igemm_backward_input_v1(
    __global const float* gradOutput, __global const float* weights, __global float* gradInput,
    CONV_GEOMETRY_PARAMS) {
  IGEMM_LOCALS;
  igemm_backward_input(0, gradOutput, weights, gradInput, alm, blm, tTab, jTab, IGEMM_GEOMETRY);
}

__attribute__((reqd_work_group_size(NDIMC, MDIMC, 1))) __kernel void conv_igemm_backward_input_unit_v1(
    __global const float* gradOutput, __global const float* weights, __global float* gradInput,
    CONV_GEOMETRY_PARAMS) {
  IGEMM_LOCALS;
  igemm_backward_input(1, gradOutput, weights, gradInput, alm, blm, tTab, jTab, IGEMM_GEOMETRY);
}

__attribute__((reqd_work_group_size(NDIMC, MDIMC, 1))) __kernel void conv_igemm_backward_filter_v1(
    __global const float* input, __global const float* gradOutput, __global float* partial, const int chunkLen,
    CONV_GEOMETRY_PARAMS) {
  IGEMM_LOCALS;
  const int T = N * outH * outW;
  const int chunks = (T + chunkLen - 1) / chunkLen;
  const int g = get_group_id(2) / chunks;
  const int z = get_group_id(2) - g * chunks;
  const int cg = C / groups;
  const int kg = K / groups;
  const int P = outH * outW;
  const int e = cg * R * S;  // weights per filter
  const int t0 = z * chunkLen;
  igemm_core(PASS_FILTER, 1, gradOutput + g * kg * P, P, input + g * cg * H * W,
             partial + (size_t)z * K * e + g * kg * e, e, input, 0, EPILOGUE_NONE, 0.0f, kg, e, t0,
             t0 + min(chunkLen, T - t0), alm, blm, tTab, jTab, IGEMM_GEOMETRY);
}
