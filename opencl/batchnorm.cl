// batchnorm.cl: batch normalisation per channel over the batch and spatial dimensions.
// CPU twins: CpuOps.batchNormForward, CpuOps.batchNormBackward.
//
// Versions:
//   v1  batchnorm_forward_train_v1: one work-group of BN_WG work-items per channel. Each work-item sums a
//       strided share of the channel's M = N*P values, a tree in local memory (fixed shape, so
//       deterministic) finishes the mean and then the biased variance (two passes, for accuracy);
//       work-item 0 writes saveMean, saveInvStd and the running statistics; all then normalise.
//   v1  batchnorm_forward_infer_v1: one work-item per element, running statistics.
//   v1  batchnorm_backward_v1: one work-group per channel; the same tree gives gradBeta = sum dy and
//       gradGamma = sum dy*xhat, then every work-item writes its share of gradInput.
//
// Formula: mean = (1/M) sum x; var = (1/M) sum (x - mean)^2; invStd = 1/sqrt(var + eps);
//   y = gamma * (x - mean) * invStd + beta;
//   running = (1 - momentum) * running + momentum * batch (the running variance takes var * M/(M-1));
//   inference: y = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta;
//   backward (xhat = (x - mean) * invStd): gradInput = gamma * invStd / M * (M*dy - gradBeta - xhat*gradGamma).
// Layouts: input, output, gradOutput, gradInput [N][C][P] (P = H*W, or 1 for [N][C]);
//          gamma, beta, runningMean, runningVar, saveMean, saveInvStd, gradGamma, gradBeta [C].
// NDRange: per-channel kernels global (C*BN_WG), local (BN_WG), group id = c;
//          inference global (roundUp(N*C*P)), gid0 = flat element index.

#ifndef BN_WG
#define BN_WG 64  // a power of two, at most the device's max work-group size
#endif

// Tree-sums value over the work-group (fixed order); every work-item gets the total.
inline float bn_group_sum(__local float* scratch, float value) {
  const int lid = get_local_id(0);
  scratch[lid] = value;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int width = BN_WG / 2; width > 0; width >>= 1) {
    if (lid < width) {
      scratch[lid] += scratch[lid + width];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  const float total = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  return total;
}

#define BN_INDEX(m) (((size_t)((m) / P) * C + c) * P + (m) % P)

__kernel void batchnorm_forward_train_v1(__global const float* input, __global const float* gamma,
                                         __global const float* beta, __global float* runningMean,
                                         __global float* runningVar, __global float* output,
                                         __global float* saveMean, __global float* saveInvStd, const int N,
                                         const int C, const int P, const float momentum, const float epsilon) {
  __local float scratch[BN_WG];
  const int c = get_group_id(0);
  const int lid = get_local_id(0);
  const int M = N * P;
  float acc = 0.0f;
  for (int m = lid; m < M; m += BN_WG) {
    acc += input[BN_INDEX(m)];
  }
  const float mean = bn_group_sum(scratch, acc) / (float)M;
  acc = 0.0f;
  for (int m = lid; m < M; m += BN_WG) {
    const float d = input[BN_INDEX(m)] - mean;
    acc += d * d;
  }
  const float var = bn_group_sum(scratch, acc) / (float)M;
  const float invStd = 1.0f / sqrt(var + epsilon);
  if (lid == 0) {
    saveMean[c] = mean;
    saveInvStd[c] = invStd;
    runningMean[c] = (1.0f - momentum) * runningMean[c] + momentum * mean;
    runningVar[c] = (1.0f - momentum) * runningVar[c] + momentum * var * (float)M / (float)(M - 1);
  }
  const float scale = gamma[c] * invStd;
  const float shift = beta[c];
  for (int m = lid; m < M; m += BN_WG) {
    const size_t i = BN_INDEX(m);
    output[i] = (input[i] - mean) * scale + shift;
  }
}

__kernel void batchnorm_forward_infer_v1(__global const float* input, __global const float* gamma,
                                         __global const float* beta, __global const float* runningMean,
                                         __global const float* runningVar, __global float* output,
                                         const int N, const int C, const int P, const float epsilon) {
  const int i = get_global_id(0);
  if (i >= N * C * P) {
    return;
  }
  const int c = (i / P) % C;
  output[i] = gamma[c] * (input[i] - runningMean[c]) / sqrt(runningVar[c] + epsilon) + beta[c];
}

__kernel void batchnorm_backward_v1(__global const float* input, __global const float* gradOutput,
                                    __global const float* gamma, __global const float* saveMean,
                                    __global const float* saveInvStd, __global float* gradInput,
                                    __global float* gradGamma, __global float* gradBeta, const int N,
                                    const int C, const int P) {
  __local float scratch[BN_WG];
  const int c = get_group_id(0);
  const int lid = get_local_id(0);
  const int M = N * P;
  const float mean = saveMean[c];
  const float invStd = saveInvStd[c];
  float sumDy = 0.0f;
  float sumDyXhat = 0.0f;
  for (int m = lid; m < M; m += BN_WG) {
    const size_t i = BN_INDEX(m);
    sumDy += gradOutput[i];
    sumDyXhat += gradOutput[i] * (input[i] - mean) * invStd;
  }
  const float gb = bn_group_sum(scratch, sumDy);
  const float gg = bn_group_sum(scratch, sumDyXhat);
  if (lid == 0) {
    gradBeta[c] = gb;
    gradGamma[c] = gg;
  }
  const float k = gamma[c] * invStd / (float)M;
  for (int m = lid; m < M; m += BN_WG) {
    const size_t i = BN_INDEX(m);
    const float xhat = (input[i] - mean) * invStd;
    gradInput[i] = k * ((float)M * gradOutput[i] - gb - xhat * gg);
  }
}
