#!/usr/bin/env python3
"""Scaling model of data-parallel training from NetGen.Bench.Distributed's JSON lines.

Usage: /usr/bin/python3 bench/distributed_model.py RESULTS-2ranks.jsonl [RESULTS-4ranks.jsonl ...]

Fits the ring allreduce cost T(P, n) = 2(P − 1)·α + 2(P − 1)/P · n·β(n) (n bytes) to the 2-rank allreduce sweep, where
T(2, n) = 2α + n·β(n): α from the smallest sum, β(n) from the measured sum closest in size to n (on one host the cost per
byte grows once a sum no longer fits in the caches, so one β does not fit all sizes) — and predicts, for 8, 64 and 512 ranks, the time per
step and the parallel efficiency of LeNet-5 (61,706 parameters) and of a 10 M-parameter network, at a fixed batch of 32
samples per rank (weak scaling). Compute per rank: each network's measured trainer step at 32 samples per rank (the
2-rank runs with the sums after the backward pass) less the time in the communicator's calls. Both with the measured
(same-host, shared-memory) α and β and with an assumed 10 GbE link (α = 25 µs, β = 0.8 ns/B).

From the trainer-step records it also prints, per network and number of ranks, the time per step and the time per step
in the communicator's calls with the gradient sums overlapped with the backward pass and without, and the share of the
latter that overlap hid: 1 − (time in calls, overlapped) / (time in calls, after the pass). Both include the wait for
the slowest rank, which no overlap hides.
"""
import json
import math
import statistics
import sys
from collections import defaultdict

BATCH_PER_RANK = 32


def load(paths):
    sweep = defaultdict(lambda: defaultdict(list))
    steps = defaultdict(list)
    trainer = defaultdict(list)
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
                elif record["name"] == "trainer-step":
                    trainer[(record["network"], record["ranks"], record["overlap"])].append(record)
    return sweep, steps, trainer


def communicating(record):
    return record["inline_seconds"] + record["wait_seconds"] + record["batch_sum_seconds"]


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
    sweep, steps, trainer = load(sys.argv[1:])
    alpha, beta, medians = fit(sweep[2])
    print(f"2-rank allreduce sweep (median of {len(next(iter(sweep[2].values())))} runs): α = {alpha * 1e6:.2f} µs; "
          + ", ".join(f"{n:,} B: {t * 1e6:.1f} µs" for n, t in medians.items()))
    for ranks in sorted(steps):
        records = steps[ranks]
        field = lambda name: statistics.median(r[name] for r in records)
        total = field("forward_backward_seconds") + field("wait_for_slowest_seconds") + field("allreduce_seconds") + field("optimizer_seconds")
        print(f"LeNet step by hand, {ranks} rank(s), global batch 64: forward+backward {field('forward_backward_seconds') * 1e3:.3f} ms, "
              f"wait for the slowest rank {field('wait_for_slowest_seconds') * 1e3:.3f} ms, gradient sum {field('allreduce_seconds') * 1e3:.3f} ms "
              f"({field('allreduce_seconds') / total:.1%} of the step), optimizer {field('optimizer_seconds') * 1e3:.3f} ms")
    print()
    print("| network | ranks | threads per rank | step, sums after the pass | in communicator calls | step, sums overlapped | in communicator calls | hidden |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    networks = {}
    for (network, ranks, overlap) in sorted(trainer):
        if overlap:
            continue
        after, overlapped = trainer[(network, ranks, False)], trainer.get((network, ranks, True), [])
        median = lambda records, f: statistics.median(f(r) for r in records)
        step_after, comm_after = median(after, lambda r: r["step_seconds"]), median(after, communicating)
        row = f"| {network} | {ranks} | {after[0]['threads']} | {step_after * 1e3:.2f} ms | {comm_after * 1e3:.2f} ms |"
        if overlapped:
            step_over, comm_over = median(overlapped, lambda r: r["step_seconds"]), median(overlapped, communicating)
            row += f" {step_over * 1e3:.2f} ms | {comm_over * 1e3:.2f} ms | {1 - comm_over / comm_after:.0%} |"
        print(row)
        if ranks == 2:
            networks[network] = (after[0]["parameters"], step_after - comm_after)
    print()
    for network, (parameters, compute) in networks.items():
        b = beta(4 * parameters)
        print(f"{network}: {parameters:,} parameters, {4 * parameters:,} B of gradients, β {b * 1e9:.3f} ns/B ({1 / b / 1e9:.2f} GB/s); "
              f"compute per step at {BATCH_PER_RANK} samples per rank {compute * 1e3:.2f} ms (measured step less communicator calls)")
    print()
    print("| network | link | ranks | allreduce | step, sum after backward | efficiency | step, sum fully overlapped | efficiency |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for network, (parameters, compute) in networks.items():
        for link, a, b in (("measured, shared memory", alpha, beta), ("10 GbE (assumed)", 25e-6, lambda _: 0.8e-9)):
            for ranks in (8, 64, 512):
                t = ring(ranks, 4 * parameters, a, b)
                serial, overlapped = compute + t, max(compute, t)
                print(f"| {network} | {link} | {ranks} | {t * 1e3:.2f} ms | {serial * 1e3:.2f} ms | {compute / serial:.0%} | "
                      f"{overlapped * 1e3:.2f} ms | {compute / overlapped:.0%} |")


if __name__ == "__main__":
    main()
