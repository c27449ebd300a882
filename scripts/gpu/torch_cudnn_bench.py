#!/usr/bin/env python3
"""cuDNN fp32 timings of the convolution shapes of `convcl bench` (org.convcl.bench.Bench.CONV_SHAPES),
forward, input gradient and filter gradient, for the ConvCL/cuDNN ratio. GFLOP/s counts 2*N*K*outH*outW*C*R*S
per pass, as ConvGeometry.flops() does. TF32 is off so the figures are true fp32. One JSON object per line.

  python3 scripts/gpu/torch_cudnn_bench.py [--repeats 20] [--out cudnn.json]
"""
import argparse
import json
import sys

# (N, C, H, W, K, kernel, stride, padding): keep in step with Bench.CONV_SHAPES.
SHAPES = [
    (64, 1, 28, 28, 20, 5, 1, 0),
    (64, 20, 12, 12, 50, 5, 1, 0),
    (32, 64, 56, 56, 64, 3, 1, 1),
    (32, 128, 28, 28, 128, 3, 1, 1),
    (8, 3, 224, 224, 64, 7, 2, 3),
    (32, 256, 14, 14, 256, 3, 1, 1),
]


def time_ms(fn, repeats, torch):
    for _ in range(3):  # warm-up: cuDNN picks its algorithm here (benchmark mode)
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    import torch
    import torch.nn.functional as F
    from torch.nn.grad import conv2d_input, conv2d_weight

    if not torch.cuda.is_available():
        print(json.dumps({"error": "torch.cuda.is_available() is False"}))
        return 1
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.device("cuda")
    lines = [json.dumps({"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
                         "cudnn": torch.backends.cudnn.version()})]
    for (n, c, h, w, k, r, s, p) in SHAPES:
        x = torch.randn(n, c, h, w, device=dev)
        wt = torch.randn(k, c, r, r, device=dev)
        b = torch.randn(k, device=dev)
        y = F.conv2d(x, wt, b, stride=s, padding=p)
        dy = torch.randn_like(y)
        oh, ow = y.shape[2], y.shape[3]
        flops = 2 * n * k * oh * ow * c * r * r
        passes = {
            "convForward": lambda: F.conv2d(x, wt, b, stride=s, padding=p),
            "convBackwardInput": lambda: conv2d_input(x.shape, wt, dy, stride=s, padding=p),
            "convBackwardFilter": lambda: conv2d_weight(x, wt.shape, dy, stride=s, padding=p),
        }
        for name, fn in passes.items():
            ms = time_ms(fn, a.repeats, torch)
            lines.append(json.dumps({"op": name, "shape": f"{n}x{c}x{h}x{w}->{k} {r}x{r}/{s} pad {p}",
                                     "ms": round(ms, 4), "gflops": round(flops / ms / 1e6, 1)}))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
