// optimizer.cl: parameter updates in place, so a training step stays on the device.
// CPU twins: CpuOps.sgdUpdate, CpuOps.adamUpdate.
//
// Versions:
//   v1  sgd_update_v1, adam_update_v1: one work-item per parameter.
//
// Formula (org.convcl.ops.SgdConfig, AdamConfig):
//   SGD:  g = grad + weightDecay*w; v = momentum*v + g (when hasVelocity); w -= lr * (nesterov ? g + momentum*v : v)
//         (without velocity: w -= lr * g).
//   Adam: g = grad + weightDecay*w; m = beta1*m + (1-beta1)*g; v = beta2*v + (1-beta2)*g^2;
//         w -= lr * (m / correction1) / (sqrt(v / correction2) + epsilon), correction_i = 1 - beta_i^t
//         computed on the host as CpuOps does.
// Layouts: param, grad, velocity, m, v: any shape, n elements, flat.
// NDRange: global (roundUp(n)), gid0 = element index.

__kernel void sgd_update_v1(__global float* param, __global const float* grad, __global float* velocity,
                            const int hasVelocity, const int n, const float lr, const float momentum,
                            const int nesterov, const float weightDecay) {
  const int i = get_global_id(0);
  if (i >= n) {
    return;
  }
  const float w = param[i];
  const float g = grad[i] + weightDecay * w;
  float step = g;
  if (hasVelocity) {
    const float v = momentum * velocity[i] + g;
    velocity[i] = v;
    step = nesterov ? g + momentum * v : v;
  }
  param[i] = w - lr * step;
}

__kernel void adam_update_v1(__global float* param, __global const float* grad, __global float* m,
                             __global float* v, const int n, const float lr, const float beta1,
                             const float beta2, const float epsilon, const float weightDecay,
                             const float correction1, const float correction2) {
  const int i = get_global_id(0);
  if (i >= n) {
    return;
  }
  const float w = param[i];
  const float g = grad[i] + weightDecay * w;
  const float mi = beta1 * m[i] + (1.0f - beta1) * g;
  const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = w - lr * (mi / correction1) / (sqrt(vi / correction2) + epsilon);
}
