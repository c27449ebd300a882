// activation.cl: element-wise non-linearities. CPU twins: CpuOps.activationForward, CpuOps.activationBackward.
//
// Versions:
//   v1  activation_forward_v1, activation_backward_v1: one work-item per element.
//
// kind (org.convcl.cl.ElementwiseLaunch maps Activation.Kind to these): 0 ReLU, 1 leaky ReLU (slope alpha),
// 2 tanh, 3 sigmoid.
// Formula: forward y = f(x); backward gradInput = gradOutput * f'(x), with f' written in x (ReLU, leaky
//   ReLU: 1 for x > 0, else 0 or alpha) or in y (tanh: 1 - y^2, sigmoid: y(1 - y)).
// Layouts: input, output, gradOutput, gradInput: any shape, n elements, flat.
// NDRange: global (roundUp(n)), gid0 = element index.

#define ACT_RELU 0
#define ACT_LEAKY_RELU 1
#define ACT_TANH 2
#define ACT_SIGMOID 3

__kernel void activation_forward_v1(__global const float* input, __global float* output, const int n,
                                    const int kind, const float alpha) {
  const int i = get_global_id(0);
  if (i >= n) {
    return;
  }
  const float x = input[i];
  float y;
  switch (kind) {
    case ACT_RELU:
      y = x > 0.0f ? x : 0.0f;
      break;
    case ACT_LEAKY_RELU:
      y = x > 0.0f ? x : alpha * x;
      break;
    case ACT_TANH:
      y = tanh(x);
      break;
    default:
      y = 1.0f / (1.0f + exp(-x));
      break;
  }
  output[i] = y;
}

__kernel void activation_backward_v1(__global const float* input, __global const float* output,
                                     __global const float* gradOutput, __global float* gradInput,
                                     const int n, const int kind, const float alpha) {
  const int i = get_global_id(0);
  if (i >= n) {
    return;
  }
  const float x = input[i];
  const float y = output[i];
  float d;
  switch (kind) {
    case ACT_RELU:
      d = x > 0.0f ? 1.0f : 0.0f;
      break;
    case ACT_LEAKY_RELU:
      d = x > 0.0f ? 1.0f : alpha;
      break;
    case ACT_TANH:
      d = 1.0f - y * y;
      break;
    default:
      d = y * (1.0f - y);
      break;
  }
  gradInput[i] = gradOutput[i] * d;
}
