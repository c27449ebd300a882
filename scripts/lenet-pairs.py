#!/usr/bin/env python3
"""Summarises perf-sitting's interleaved LeNet training pairs: per pair, ConvCL's (`convcl train --device
cpu`, metrics.csv of its run directory) and PyTorch's (train_lenet.py's JSON) images/s per epoch and as the
3-epoch mean, the ratio of the means, and the median ratio over the pairs.
    scripts/lenet-pairs.py OUT_DIR PAIRS
"""
import csv
import json
import statistics
import sys


def convcl_epochs(out, i):
    with open(f"{out}/run-cpu-{i}/metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return [float(r["images_per_second"]) for r in rows], [float(r["seconds"]) for r in rows]


def torch_epochs(out, i):
    with open(f"{out}/torch-lenet-{i}.json") as f:
        d = json.load(f)
    return [e["train_images_per_s"] for e in d["epochs"]], d["mean_train_images_per_s"]


def main(out, pairs):
    ratios = []
    print("pair  ConvCL epochs (img/s)    mean   PyTorch epochs (img/s)   mean   ratio")
    for i in range(1, pairs + 1):
        rates, seconds = convcl_epochs(out, i)
        mean = sum(r * s for r, s in zip(rates, seconds)) / sum(seconds)  # images / seconds
        t_rates, t_mean = torch_epochs(out, i)
        ratio = mean / t_mean
        ratios.append(ratio)
        print("%4d  %-22s %6.0f   %-22s %6.0f   %.2f" % (
            i, " ".join("%.0f" % r for r in rates), mean, " ".join("%.0f" % r for r in t_rates), t_mean, ratio))
    print("median ratio %.2f (min %.2f, max %.2f) over %d pairs" % (
        statistics.median(ratios), min(ratios), max(ratios), pairs))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
