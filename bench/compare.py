#!/usr/bin/python3
"""Runs the PyTorch peer (../shared/peers/torch_bench.py, beside the repository) and NetGen's benchmark console in one go,
one after the other (alternating for --rounds N, medians compared), and prints both figures, the ratio and the issue-7 target per workload
as the Markdown table of docs/benchmarks.md, then notes.

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
# NetGen workloads without a target, compared with a peer workload of another name: NetGen's single-sample MLP on an
# input with no zero entries (its dense kernel skips zero inputs, so the test image's zero pixels make it faster) against
# the peer's single-sample MLP, whose time does not depend on the input. Printed when a run has them.
EXTRA = {
    "infer1-mlp-784-128-10-dense": ("microseconds", False, "infer1-mlp-784-128-10"),
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


def unit_of(name):
    """(unit field, higher is better) of a workload of either table."""
    unit, higher, _ = TARGETS[name] if name in TARGETS else EXTRA[name]
    return unit, higher


def best(rows):
    """Per workload, the row with the best unit figure (the best thread count)."""
    chosen = {}
    for row in rows:
        name = row["workload"]
        if name not in TARGETS and name not in EXTRA:
            continue
        unit, higher = unit_of(name)
        if name not in chosen or (row[unit] > chosen[name][unit]) == higher:
            chosen[name] = row
    return chosen


def median_row(rows, unit):
    """The row whose unit figure is the median (a real row, so its other fields fit)."""
    rows = sorted(rows, key=lambda row: row[unit])
    return dict(rows[len(rows) // 2], rounds=len(rows))


def fmt(value, unit):
    return f"{value:.1f}" if unit == "gflops" else f"{value:.2f}"


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

    def compare(name, peer_name):
        """Both medians, the ratio and the per-round range of one row, from the rounds that ran both sides; when no
        round did (a NetGen-only run read beside full runs), each side's median over its own rounds, the ratio of the
        two medians, and paired False."""
        unit, higher = unit_of(name)
        both = [(pr[peer_name], nr[name]) for pr, nr in zip(peer_rounds, netgen_rounds) if peer_name in pr and name in nr]
        paired = bool(both)
        if not paired:
            both = [(pr[peer_name], None) for pr in peer_rounds if peer_name in pr] + \
                   [(None, nr[name]) for nr in netgen_rounds if name in nr]
        a = median_row([p for p, _ in both if p is not None], unit)
        b = median_row([n for _, n in both if n is not None], unit)
        per_round = sorted((n[unit] / p[unit] if higher else p[unit] / n[unit]) for p, n in both if p and n)
        if paired:
            ratio = per_round[len(per_round) // 2]
            spread = f"{per_round[0]:.2f}–{per_round[-1]:.2f}" if len(per_round) > 1 else "-"
        else:
            ratio = b[unit] / a[unit] if higher else a[unit] / b[unit]
            spread = "different runs"
        return a, b, ratio, spread, paired

    def has(rounds_, name):
        return any(name in r for r in rounds_)

    missing = [n for n in TARGETS if not has(peer_rounds, n) or not has(netgen_rounds, n)]
    if missing:
        raise RuntimeError(f"workloads missing from a run: {', '.join(missing)}")

    # The table, in the Markdown form docs/benchmarks.md shows (pasted from this output).
    print("| Workload | Unit | PyTorch | threads | NetGen | threads | Ratio | Per-round range | Target | |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    met_count = 0
    notes = []
    rows = [(name, name, target) for name, (_, _, target) in TARGETS.items()]
    for name, (_, _, peer_name) in EXTRA.items():
        if has(netgen_rounds, name) and has(peer_rounds, peer_name):
            # Beside the row of the peer workload it is compared with.
            rows.insert(next(i for i, row in enumerate(rows) if row[0] == peer_name) + 1, (name, peer_name, None))
    for name, peer_name, target in rows:
        unit, _ = unit_of(name)
        # Each round pairs the two sides close in time, so the per-round ratio is less exposed to a load change
        # between rounds than the ratio of the two medians; the median of the per-round ratios decides the target.
        a, b, ratio, spread, paired = compare(name, peer_name)
        label = f"`{name}`" if peer_name == name else f"`{name}` against PyTorch's `{peer_name}`"
        if target is None:
            result = "no target" if paired else "indicative"
            if "host" in b:  # a run saved with a note on its host (e.g. a loaded one) says so in its row
                result += f"; NetGen's host: {b['host']}"
            print(f"| {label} | {UNITS[unit]} | {fmt(a[unit], unit)} | {a['threads']} | {fmt(b[unit], unit)} | {b['threads']} "
                  f"| {ratio:.2f}× | {spread} | – | {result} |")
            if not paired:
                notes.append(f"{name}: NetGen's figure ({b['rounds']} round(s)) and PyTorch's {peer_name} "
                             f"({a['rounds']} round(s)) come from different runs; the ratio is indicative only")
            continue
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
        print(f"| {label} | {UNITS[unit]} | {fmt(a[unit], unit)} | {a['threads']} | {fmt(b[unit], unit)} | {b['threads']} "
              f"| {ratio:.2f}× | {spread} | ≥ {target:g}× | {'met' if met else '**not met**'} |")
    # NetGen's own dense-input / test-image latency, per round where both ran.
    dense_ratio = sorted(nr["infer1-mlp-784-128-10-dense"]["microseconds"] / nr["infer1-mlp-784-128-10"]["microseconds"]
                         for nr in netgen_rounds if "infer1-mlp-784-128-10-dense" in nr and "infer1-mlp-784-128-10" in nr)
    if dense_ratio:
        notes.append(f"infer1-mlp-784-128-10-dense / infer1-mlp-784-128-10, NetGen, per round: median "
                     f"{dense_ratio[len(dense_ratio) // 2]:.2f}× over {len(dense_ratio)} round(s), "
                     f"{dense_ratio[0]:.2f}–{dense_ratio[-1]:.2f}")
    target_count = len(TARGETS)
    # Thread scaling, per round: the paired in-process figure when the run has it, else (runs saved before it existed)
    # NetGen's 1-thread LeNet epoch over its 2-thread epoch, each from its own process.
    scaling, scaling_label = [], "LeNet epoch, NetGen 1 thread / 2 threads, paired"
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
            scaling_label = "LeNet epoch, NetGen 1 thread / 2 threads, 2 processes"
    scaling.sort()
    if scaling:
        target_count += 1
        ratio = scaling[len(scaling) // 2]
        spread = f"{scaling[0]:.2f}–{scaling[-1]:.2f}" if len(scaling) > 1 else "-"
        met = ratio >= SCALING_TARGET
        met_count += met
        print(f"| {scaling_label} | | | | | | {ratio:.2f}× | {spread} | ≥ {SCALING_TARGET:g}× | "
              f"{'met' if met else '**not met**'} |")
    else:
        notes.append(f"{SCALING_WORKLOAD}: thread scaling not measured (needs --threads 1,2)")
    print()
    full = sum(1 for pr, nr in zip(peer_rounds, netgen_rounds) if pr and nr)
    print(f"figures: each side's median over the {full} round(s) that ran both sides, each side at its best thread "
          f"count; ratio: the median over those rounds of PyTorch time / NetGen time (dense: NetGen GFLOP/s / PyTorch "
          f"GFLOP/s), the lowest and highest in 'Per-round range'; 'LeNet epoch ... paired': NetGen's 1-thread LeNet epoch "
          f"over its 2-thread epoch, the two alternating in one process, median of the pairs ('2 processes': each from its "
          f"own run, in runs saved before the paired figure); {met_count} of {target_count} targets met")
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
