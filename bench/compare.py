#!/usr/bin/python3
"""Runs the PyTorch peer (../shared/peers/torch_bench.py, beside the repository) and NetGen's benchmark console in one go,
one after the other (alternating for --rounds N, medians compared), and prints both figures, the ratio and the issue-7 target per workload.

Usage (from anywhere): /usr/bin/python3 bench/compare.py [--rounds N] [--peer-threads 1[,2]] [--threads 1[,2]] [--epochs N] [--repeats N] [--save FILE]
       /usr/bin/python3 bench/compare.py --from FILE [FILE ...]   (the table of saved runs; several files: their rounds pooled)
Needs Debian's python3-torch, libopenblas0-pthread and dataset-fashion-mnist. Exits 0 when every workload was measured,
whether or not its target is met (the table says which); exits 1 when a run fails or a workload is missing."""
import argparse, json, os, subprocess, sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(os.path.dirname(REPO), "shared", "peers", "torch_bench.py")
PROJECT = os.path.join(REPO, "bench", "NetGen.Bench")

# workload -> (unit field, higher is better, target ratio NetGen vs PyTorch)
TARGETS = {
    "grad-tiny-24-8-2-n200": ("microseconds", False, 15.0),
    "dense-1024x1024-b256-forward": ("gflops", True, 1.0),
    "infer1-mlp-784-128-10": ("microseconds", False, 20.0),
    "infer1-lenet5": ("microseconds", False, 10.0),
    "train-mlp-784-128-10-b32": ("seconds_per_epoch", False, 5.0),
    "train-lenet5-b64": ("seconds_per_epoch", False, 4.0),
}
# LeNet's thread scaling: NetGen.Bench at --threads 2 times 1- and 2-thread epochs alternately in one process and prints
# their median ratio as "speedup" (the row below); runs saved before that row existed are read from the two processes' epochs.
SCALING_ROW, SCALING_WORKLOAD, SCALING_TARGET = "scaling-lenet5-b64", "train-lenet5-b64", 1.7
UNITS = {"microseconds": "µs", "gflops": "GFLOP/s", "seconds_per_epoch": "s/epoch"}


def uptime():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


LOADS = []


def run_json(command, label):
    """Runs command, echoes its stderr, returns its JSON lines; raises on a non-zero exit."""
    LOADS.append(f"before {label}: {uptime()}")
    print(f"# {label}: {' '.join(command)}  (load before: {uptime()})", file=sys.stderr, flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{label} exited with {done.returncode}")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    print(f"# {label}: done (load after: {uptime()})", file=sys.stderr, flush=True)
    for row in rows:
        print(f"# {label} {json.dumps(row)}", file=sys.stderr)
    return rows


def best(rows):
    """Per workload, the row with the best unit figure (the best thread count)."""
    chosen = {}
    for row in rows:
        name = row["workload"]
        if name not in TARGETS:
            continue
        unit, higher, _ = TARGETS[name]
        if name not in chosen or (row[unit] > chosen[name][unit]) == higher:
            chosen[name] = row
    return chosen


def median_rows(rounds):
    """Per workload, the round whose unit figure is the median over the rounds (a real row, so its other fields fit)."""
    result = {}
    for name, (unit, _, _) in TARGETS.items():
        rows = sorted((r[name] for r in rounds if name in r), key=lambda row: row[unit])
        if rows:
            result[name] = dict(rows[len(rows) // 2], rounds=len(rows))
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--peer-threads", default="1,2", help="comma-separated thread counts for the peer; the best is compared")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--rounds", type=int, default=1, help="alternate PyTorch and NetGen this many times; medians compared")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts for NetGen; the best is compared")
    p.add_argument("--repeats", type=int, default=None, help="NetGen timed runs per workload (median reported)")
    p.add_argument("--peer", default=PEER, help="path of torch_bench.py")
    p.add_argument("--from", dest="from_files", nargs="+", metavar="FILE",
                   help="print the table of one or more files written by --save instead of running (the rounds of several files are pooled)")
    p.add_argument("--save", help="also write every JSON line, tagged with its side, to this file")
    args = p.parse_args()

    if args.rounds < 1:
        raise RuntimeError("--rounds must be at least 1")
    saved = []  # (side, round, row)
    if args.from_files:
        for path in args.from_files:
            # Each file numbers its rounds from 1; pooled files continue after the rounds read so far.
            first = max((r for _, r, _ in saved), default=0)
            with open(path) as f:
                for line in f:
                    row = json.loads(line)
                    saved.append((row.pop("side"), first + row.pop("round"), row))
    else:
        if not os.path.exists(args.peer):
            raise RuntimeError(f"peer script not found: {args.peer}")
        build = ["dotnet", "build", PROJECT, "-c", "Release", "-nologo", "-v", "quiet"]
        print(f"# build: {' '.join(build)}", file=sys.stderr, flush=True)
        if subprocess.run(build, stdout=sys.stderr, cwd=REPO).returncode != 0:
            raise RuntimeError("the NetGen benchmark does not build")
        netgen_cmd = ["dotnet", "run", "-c", "Release", "--no-build", "--project", PROJECT, "--", "--json",
                      "--epochs", str(args.epochs)]
        if args.repeats:
            netgen_cmd += ["--repeats", str(args.repeats)]
        for r in range(1, args.rounds + 1):
            for threads in args.peer_threads.split(","):
                command = ["/usr/bin/python3", args.peer, threads.strip(), str(args.epochs)]
                saved += [("pytorch", r, row) for row in run_json(command, f"round {r} pytorch t={threads.strip()}")]
            for threads in args.threads.split(","):
                command = netgen_cmd + ["--threads", threads.strip()]
                saved += [("netgen", r, row) for row in run_json(command, f"round {r} netgen t={threads.strip()}")]
        LOADS.append(f"end: {uptime()}")
    if args.save:
        with open(args.save, "w") as f:
            for side, r, row in saved:
                f.write(json.dumps(dict(side=side, round=r, **row)) + "\n")

    rounds = sorted({r for _, r, _ in saved})
    peer_rounds = [best([row for side, rr, row in saved if side == "pytorch" and rr == r]) for r in rounds]
    netgen_rounds = [best([row for side, rr, row in saved if side == "netgen" and rr == r]) for r in rounds]
    peer, netgen = median_rows(peer_rounds), median_rows(netgen_rounds)
    missing = [n for n in TARGETS if n not in peer or n not in netgen]
    if missing:
        raise RuntimeError(f"workloads missing from a run: {', '.join(missing)}")

    def ratio_of(name, a, b):
        unit, higher, _ = TARGETS[name]
        return b[unit] / a[unit] if higher else a[unit] / b[unit]

    header = (f"{'workload':30} {'unit':8} {'PyTorch':>9} {'thr':>3} {'NetGen':>9} {'thr':>3} {'ratio':>7} "
              f"{'rounds':>15} {'target':>7}  result")
    print(header)
    print("-" * len(header))
    met_count = 0
    notes = []
    for name, (unit, higher, target) in TARGETS.items():
        a, b = peer[name], netgen[name]
        # Each round pairs the two sides close in time, so the per-round ratio is less exposed to a load change
        # between rounds than the ratio of the two medians; the median of the per-round ratios decides the target.
        per_round = sorted(ratio_of(name, pr[name], nr[name]) for pr, nr in zip(peer_rounds, netgen_rounds)
                           if name in pr and name in nr)
        ratio = per_round[len(per_round) // 2]
        spread = f"{per_round[0]:.2f}–{per_round[-1]:.2f}" if len(per_round) > 1 else "-"
        met = ratio >= target
        if "test_accuracy" in a and "test_accuracy" in b:
            gap = (a["test_accuracy"] - b["test_accuracy"]) * 100
            if gap > 1.0:
                met = False
            notes.append(f"{name}: test accuracy PyTorch {a['test_accuracy']:.4f}, NetGen {b['test_accuracy']:.4f} "
                         f"(NetGen {'is not' if gap <= 1.0 else 'IS'} more than 1 point below PyTorch)")
        if b.get("allocated_bytes_per_op", 0) or b.get("allocated_bytes_per_step", 0):
            notes.append(f"{name}: NetGen allocated in steady state ({b.get('allocated_bytes_per_op', b.get('allocated_bytes_per_step'))} bytes per operation)")
        met_count += met
        print(f"{name:30} {UNITS[unit]:8} {a[unit]:9.2f} {a['threads']:3} {b[unit]:9.2f} {b['threads']:3} {ratio:6.2f}× "
              f"{spread:>15} {target:6.1f}×  {'met' if met else 'NOT met'}")
    target_count = len(TARGETS)
    # Thread scaling, per round: the paired in-process figure when the run has it, else (runs saved before it existed)
    # NetGen's 1-thread LeNet epoch over its 2-thread epoch, each from its own process.
    scaling, scaling_label = [], f"{SCALING_WORKLOAD} 2 vs 1 thr"
    for r in rounds:
        netgen_rows = [row for side, rr, row in saved if side == "netgen" and rr == r]
        paired = [row["speedup"] for row in netgen_rows if row["workload"] == SCALING_ROW and row["threads"] == 2]
        if paired:
            scaling += paired
            continue
        ones = [row for row in netgen_rows if row["workload"] == SCALING_WORKLOAD and row["threads"] == 1]
        twos = [row for row in netgen_rows if row["workload"] == SCALING_WORKLOAD and row["threads"] == 2]
        if ones and twos:
            scaling.append(ones[0]["seconds_per_epoch"] / twos[0]["seconds_per_epoch"])
            scaling_label = "lenet5 2 vs 1 thr, 2 processes"
    scaling.sort()
    if scaling:
        target_count += 1
        ratio = scaling[len(scaling) // 2]
        spread = f"{scaling[0]:.2f}–{scaling[-1]:.2f}" if len(scaling) > 1 else "-"
        met = ratio >= SCALING_TARGET
        met_count += met
        print(f"{scaling_label:30} {'s/epoch':8} {'':>9} {'':>3} {'':>9} {'':>3} {ratio:6.2f}× "
              f"{spread:>15} {SCALING_TARGET:6.1f}×  {'met' if met else 'NOT met'}")
    else:
        notes.append(f"{SCALING_WORKLOAD}: thread scaling not measured (needs --threads 1,2)")
    print(f"figures: medians of {len(rounds)} round(s); ratio: median over rounds of PyTorch time / NetGen time (dense: NetGen GFLOP/s / PyTorch GFLOP/s; "
          f"'2 vs 1 thr': NetGen's 1-thread LeNet epoch / its 2-thread epoch; paired: the two alternating in one process, median of "
          f"the pairs; 2 processes: each from its own run, in runs saved before the paired figure), "
          f"range in 'rounds'; {met_count} of {target_count} targets met")
    if LOADS:
        print(f"load average (1, 5, 15 min; {os.cpu_count()} cores): {'; '.join(LOADS)}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        print(f"compare.py: error: {e}", file=sys.stderr)
        sys.exit(1)
