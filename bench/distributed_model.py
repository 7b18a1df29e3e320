#!/usr/bin/env python3
"""Scaling model of data-parallel training from NetGen.Bench.Distributed's JSON lines.

Usage: /usr/bin/python3 bench/distributed_model.py RESULTS-2ranks.jsonl [RESULTS-4ranks.jsonl ...]

Fits the ring allreduce cost T(P, n) = 2(P − 1)·α + 2(P − 1)/P · n·β(n) (n bytes) to the 2-rank allreduce sweep, where
T(2, n) = 2α + n·β(n): α from the smallest sum, β(n) from the measured sum closest in size to n (on one host the cost per
byte grows once a sum no longer fits in the caches, so one β does not fit all sizes) — and predicts, for 8, 64 and 512 ranks, the time per
step and the parallel efficiency of LeNet-5 (61,706 parameters) and of a 10 M-parameter network, at a fixed batch of 32
samples per rank (weak scaling). Compute per rank: LeNet's measured forward and backward time at 32 samples per rank
(the 2-rank runs); the 10 M network's 6 FLOPs per parameter and sample at the FLOP rate LeNet reached. Both with the
measured (same-host, shared-memory) α and β and with an assumed 10 GbE link (α = 25 µs, β = 0.8 ns/B).
"""
import json
import math
import statistics
import sys
from collections import defaultdict

LENET_PARAMETERS = 61_706
LENET_FLOPS_FORWARD = 845_862          # per image, from the generated remarks
BIG_PARAMETERS = 10_000_000
BATCH_PER_RANK = 32


def load(paths):
    sweep = defaultdict(lambda: defaultdict(list))
    steps = defaultdict(list)
    for path in paths:
        with open(path) as f:
            for line in f:
                if not line.startswith("{"):
                    continue
                record = json.loads(line)
                if record["name"] == "allreduce":
                    sweep[record["ranks"]][record["bytes"]].append(record["seconds"])
                elif record["name"] == "lenet-step":
                    steps[record["ranks"]].append(record)
    return sweep, steps


def fit(sweep2):
    sizes = sorted(sweep2)
    medians = {n: statistics.median(sweep2[n]) for n in sizes}
    alpha = medians[sizes[0]] / 2                       # 2(P − 1)α at P = 2, the smallest sum

    def beta(size_bytes):
        nearest = min(sizes, key=lambda n: abs(math.log(n / size_bytes)))
        return max(medians[nearest] - 2 * alpha, 0) / nearest
    return alpha, beta, medians


def ring(ranks, size_bytes, alpha, beta):
    return 2 * (ranks - 1) * alpha + 2 * (ranks - 1) / ranks * size_bytes * beta(size_bytes)


def main():
    sweep, steps = load(sys.argv[1:])
    alpha, beta, medians = fit(sweep[2])
    print(f"2-rank allreduce sweep (median of {len(next(iter(sweep[2].values())))} runs): α = {alpha * 1e6:.2f} µs; "
          + ", ".join(f"{n:,} B: {t * 1e6:.1f} µs" for n, t in medians.items()))
    for name, parameters in (("LeNet-5", LENET_PARAMETERS), ("10 M parameters", BIG_PARAMETERS)):
        b = beta(4 * parameters)
        print(f"β for {name}'s {4 * parameters:,} B of gradients: {b * 1e9:.3f} ns/B ({1 / b / 1e9:.2f} GB/s)")
    for ranks in sorted(steps):
        records = steps[ranks]
        field = lambda name: statistics.median(r[name] for r in records)
        total = field("forward_backward_seconds") + field("wait_for_slowest_seconds") + field("allreduce_seconds") + field("optimizer_seconds")
        print(f"LeNet step, {ranks} rank(s), global batch 64: forward+backward {field('forward_backward_seconds') * 1e3:.3f} ms, "
              f"wait for the slowest rank {field('wait_for_slowest_seconds') * 1e3:.3f} ms, gradient sum {field('allreduce_seconds') * 1e3:.3f} ms "
              f"({field('allreduce_seconds') / total:.1%} of the step), optimizer {field('optimizer_seconds') * 1e3:.3f} ms; hidden behind backward: 0 %")
    lenet_compute = statistics.median(r["forward_backward_seconds"] for r in steps[2])
    flop_rate = 3 * LENET_FLOPS_FORWARD * BATCH_PER_RANK / lenet_compute
    big_compute = 6 * BIG_PARAMETERS * BATCH_PER_RANK / flop_rate
    print(f"compute per step at {BATCH_PER_RANK} samples per rank: LeNet {lenet_compute * 1e3:.2f} ms (measured; "
          f"{flop_rate / 1e9:.1f} GFLOP/s), 10 M network {big_compute * 1e3:.1f} ms (6 FLOPs per parameter and sample at that rate)")
    print()
    print("| network | link | ranks | allreduce | step, sum after backward | efficiency | step, sum fully overlapped | efficiency |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, parameters, compute in (("LeNet-5", LENET_PARAMETERS, lenet_compute), ("10 M parameters", BIG_PARAMETERS, big_compute)):
        for link, a, b in (("measured, shared memory", alpha, beta), ("10 GbE (assumed)", 25e-6, lambda _: 0.8e-9)):
            for ranks in (8, 64, 512):
                t = ring(ranks, 4 * parameters, a, b)
                serial, overlapped = compute + t, max(compute, t)
                print(f"| {name} | {link} | {ranks} | {t * 1e3:.2f} ms | {serial * 1e3:.2f} ms | {compute / serial:.0%} | "
                      f"{overlapped * 1e3:.2f} ms | {compute / overlapped:.0%} |")


if __name__ == "__main__":
    main()
