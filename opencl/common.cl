// common.cl: helpers shared by every ConvCL program. The host (org.convcl.cl.KernelSource) prepends this
// file to each kernel file before building, so nothing here may define a __kernel.
//
// Contents:
//   CONV_GEOMETRY_PARAMS   the 16 int kernel arguments that describe a convolution (ConvGeometry), in the
//                          order org.convcl.cl.GeometryArgs.conv writes them.
//   POOL_GEOMETRY_PARAMS   the 14 int kernel arguments of a pooling window (PoolGeometry).
//   counter_random_*       org.convcl.ops.CounterRandom, bit for bit (dropout masks agree with the CPU).
//   first_window/last_window  the range of window positions that cover one input cell.
//   pool_window/pool_window_of  one pooling window clipped to the real input (both pooling forwards).
//   covering_windows/pool_windows_covering  the pooling windows that cover one input cell (both backwards).
//   avg_pool_divisor       the average-pooling divisor of one window (PyTorch's rule).

// N C H W: input batch, channels, height, width. K: filters. R S: kernel height, width.
// groups: channel groups (C/groups input channels per filter). outH outW: output height, width.
#define CONV_GEOMETRY_PARAMS                                                                        \
  const int N, const int C, const int H, const int W, const int K, const int R, const int S,        \
      const int strideH, const int strideW, const int padTop, const int padLeft,                    \
      const int dilationH, const int dilationW, const int groups, const int outH, const int outW

// kH kW: window. padBottom/padRight only matter for the average-pool divisor. countIncludePad: 0 or 1.
#define POOL_GEOMETRY_PARAMS                                                                        \
  const int N, const int C, const int H, const int W, const int kH, const int kW,                   \
      const int strideH, const int strideW, const int padTop, const int padBottom,                  \
      const int padLeft, const int padRight, const int outH, const int outW

// The fused activation epilogue of the forward kernels: a runtime argument, not a build option, so one program
// serves every layer. Codes as activation.cl's kind (org.convcl.cl.KernelArgs.epilogue writes them).
#define EPILOGUE_NONE -1
#define EPILOGUE_RELU 0
#define EPILOGUE_LEAKY_RELU 1
#define EPILOGUE_PARAMS const int epilogue, const float epilogueAlpha

// x (a variable of type T: float or floatN) after the epilogue, lane by lane: ReLU x > 0 ? x : 0 (NaN -> 0),
// leaky ReLU x > 0 ? x : alpha*x, exactly as activation_forward_v1.
#define EPILOGUE(T, x)                                                                                \
  (epilogue == EPILOGUE_RELU         ? select((T)(0.0f), (x), (x) > (T)(0.0f))                      \
   : epilogue == EPILOGUE_LEAKY_RELU ? select((T)(epilogueAlpha) * (x), (x), (x) > (T)(0.0f))       \
                                     : (x))

// CounterRandom.hash: Java's wrapping int multiply and >>> equal OpenCL's uint * and >>.
inline uint counter_random_hash(ulong seed, uint index) {
  uint x = index * 0x9E3779B9u + (uint)seed;
  x ^= (uint)(seed >> 32);
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

// CounterRandom.uniform: 24 random bits scaled to [0, 1); the int-to-float conversion is exact.
inline float counter_random_uniform(ulong seed, uint index) {
  return (float)(counter_random_hash(seed, index) >> 8) * (1.0f / 16777216.0f);
}

// The first window position o (o*stride - pad <= x < o*stride - pad + k) that covers input cell x.
inline int first_window(int x, int pad, int k, int stride) {
  int t = x + pad - k + 1;
  return t <= 0 ? 0 : (t + stride - 1) / stride;
}

// The last window position that covers input cell x, clipped to the output.
inline int last_window(int x, int pad, int stride, int out) {
  return min(out - 1, (x + pad) / stride);
}

// Pooling window (oh, ow): (h0, w0) is its corner in padded coordinates (as avg_pool_divisor takes it); rows
// [ih0, ih1) and columns [iw0, iw1) are its real input cells, the padding clipped off as CpuPool's window walker
// clips it, so padded cells are never read.
typedef struct {
  int h0, w0, ih0, ih1, iw0, iw1;
} pool_window;

// The window of output cell p = oh*outW + ow.
inline pool_window pool_window_of(int p, int outW, int kH, int kW, int strideH, int strideW, int padTop,
                                  int padLeft, int H, int W) {
  const int oh = p / outW;
  const int ow = p - oh * outW;
  pool_window win;
  win.h0 = oh * strideH - padTop;
  win.w0 = ow * strideW - padLeft;
  win.ih0 = max(win.h0, 0);
  win.ih1 = min(win.h0 + kH, H);
  win.iw0 = max(win.w0, 0);
  win.iw1 = min(win.w0 + kW, W);
  return win;
}

// The pooling windows that cover one input cell: rows oh0..oh1 and columns ow0..ow1, both inclusive (empty when
// oh0 > oh1 or ow0 > ow1).
typedef struct {
  int oh0, oh1, ow0, ow1;
} covering_windows;

// The windows covering input cell p = ih*W + iw.
inline covering_windows pool_windows_covering(int p, int W, int kH, int kW, int strideH, int strideW,
                                              int padTop, int padLeft, int outH, int outW) {
  const int ih = p / W;
  const int iw = p - ih * W;
  covering_windows cover;
  cover.oh0 = first_window(ih, padTop, kH, strideH);
  cover.oh1 = last_window(ih, padTop, strideH, outH);
  cover.ow0 = first_window(iw, padLeft, kW, strideW);
  cover.ow1 = last_window(iw, padLeft, strideW, outW);
  return cover;
}

// PyTorch's average-pool divisor for the window starting at (h0, w0) in padded coordinates: the window
// clipped to the padded input when countIncludePad, else the number of real input cells it covers.
inline int avg_pool_divisor(int h0, int w0, int kH, int kW, int H, int W, int padBottom, int padRight,
                            int countIncludePad) {
  int h1 = min(h0 + kH, H + padBottom);
  int w1 = min(w0 + kW, W + padRight);
  if (countIncludePad) {
    return (h1 - h0) * (w1 - w0);
  }
  return (min(h1, H) - max(h0, 0)) * (min(w1, W) - max(w0, 0));
}

// Eight values of `row` at columns iw0 + j*stride (j < 8); columns outside [0, W) read 0. One vload8 when the
// columns are adjacent and inside the row, one vload16 (even lanes) for stride 2.
inline float8 conv_load8(__global const float* row, int iw0, int stride, int W) {
  if (stride == 1 && iw0 >= 0 && iw0 + 7 < W) {
    return vload8(0, row + iw0);
  }
  if (stride == 2 && iw0 >= 0 && iw0 + 15 < W) {
    return vload16(0, row + iw0).even;
  }
  float v[8];
  for (int j = 0; j < 8; j++) {
    const int iw = iw0 + j * stride;
    v[j] = (iw >= 0 && iw < W) ? row[iw] : 0.0f;
  }
  return vload8(0, v);
}

// Eight values row[o0 + j] for o0 + j < count, else 0.
inline float8 load8_masked(__global const float* row, int o0, int count) {
  if (o0 + 7 < count) {
    return vload8(0, row + o0);
  }
  float v[8];
  for (int j = 0; j < 8; j++) {
    v[j] = o0 + j < count ? row[o0 + j] : 0.0f;
  }
  return vload8(0, v);
}

// The sum of the eight lanes, in a fixed order.
inline float sum8(float8 v) {
  const float4 a = v.lo + v.hi;
  const float2 b = a.lo + a.hi;
  return b.x + b.y;
}
