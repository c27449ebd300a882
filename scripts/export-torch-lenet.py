#!/usr/bin/python3
"""Trains a small LeNet-5 in PyTorch on the bundled digits and exports it with torch.onnx.export.

Writes the fixture of OnnxImportTest into src/test/resources/onnx/:
  torch-lenet.onnx          the exported model; input "pixels" [N,1,28,28] = byte/255, output "logits" [N,10]
  torch-lenet-logits.txt    PyTorch's logits for the first 16 bundled test digits, one image per line

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):
  /usr/bin/python3 scripts/export-torch-lenet.py
Made with torch 1.13.0a0 (Debian 1.13.1+dfsg-4), opset 13, seed 0.
"""
import gzip
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "data/mnist"
OUT = "src/test/resources/onnx"


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


class LeNet5(nn.Module):
    """conv5x5x6-relu-maxpool2-conv5x5x16-relu-maxpool2-dense120-relu-dense84-relu-dense10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    torch.manual_seed(0)
    train_x = idx(f"{DATA}/train-images-idx3-ubyte.gz").float().unsqueeze(1) / 255
    train_y = idx(f"{DATA}/train-labels-idx1-ubyte.gz").long()
    test_x = idx(f"{DATA}/t10k-images-idx3-ubyte.gz").float().unsqueeze(1) / 255
    test_y = idx(f"{DATA}/t10k-labels-idx1-ubyte.gz").long()
    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            opt.zero_grad()
            loss = F.cross_entropy(model(train_x[b]), train_y[b])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        logits = model(test_x[:16])
    print(f"test accuracy {100 * accuracy:.2f} % on {len(test_x)} digits")
    torch.onnx.export(
        model,
        test_x[:1],
        f"{OUT}/torch-lenet.onnx",
        input_names=["pixels"],
        output_names=["logits"],
        dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=13,
    )
    with open(f"{OUT}/torch-lenet-logits.txt", "w") as f:
        for row in logits:
            f.write(" ".join(f"{v:.9g}" for v in row.tolist()) + "\n")


if __name__ == "__main__":
    main()
