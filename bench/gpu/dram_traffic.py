"""DRAM traffic of one forward pass of the example architectures, read from the GPU's counters with Nsight Compute:
what a MIG slice's share of the memory bandwidth must carry, which CUDA green contexts (measure_profiles.py) do not
confine. Run under ncu, which this script starts for itself, on a GPU machine:

    python3 bench/gpu/dram_traffic.py --out dram.jsonl                  # about 3 minutes
    python3 bench/gpu/dram_traffic.py --cache-control none --out dram-warm-l2.jsonl

ncu replays every kernel; with --cache-control all (its default) it flushes the caches before each, so no kernel
finds the previous kernel's output in L2: close to a small slice, whose L2 is its share of the GPU's (a 1g slice has
an eighth). --cache-control none keeps the whole GPU's L2 between kernels: the traffic of the full board.
Prints, and writes to --out, one JSON line per model and batch: bytes read and written, kernels.
"""

import argparse
import csv
import io
import json
import subprocess
import sys

MODELS = {"resnet50": [8, 32, 64], "mobilenet_v2": [8, 64], "bert_base_s128": [8, 32], "bert_large_s128": [16]}


def forward(name, batch):
    """One profiled forward pass (fp16, inference mode) after five unprofiled ones."""
    import torch

    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from measure_profiles import MODELS as BUILDERS

    torch.backends.cudnn.benchmark = True
    module, make_input = BUILDERS[name][0]()
    module = module.to(device="cuda", dtype=torch.float16).eval()
    example = make_input(batch).to("cuda")
    if name in ("resnet50", "mobilenet_v2"):
        module = module.to(memory_format=torch.channels_last)
        example = example.to(dtype=torch.float16, memory_format=torch.channels_last)
    with torch.inference_mode():
        for _ in range(5):
            module(example)
        torch.cuda.synchronize()
        torch.cuda.profiler.start()
        module(example)
        torch.cuda.synchronize()
        torch.cuda.profiler.stop()


def profile(name, batch, cache_control):
    command = [
        "ncu", "--profile-from-start", "off", "--cache-control", cache_control, "--csv",
        "--metrics", "dram__bytes_read.sum,dram__bytes_write.sum",
        sys.executable, __file__, "--forward", name, str(batch),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith('"')]
    if run.returncode != 0 or not lines:
        return {"model": name, "batch": batch, "error": (run.stderr or run.stdout)[-500:]}
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    units = {"byte": 1, "Kbyte": 1e3, "Mbyte": 1e6, "Gbyte": 1e9}
    total = {"dram__bytes_read.sum": 0.0, "dram__bytes_write.sum": 0.0}
    for row in rows:
        total[row["Metric Name"]] += float(row["Metric Value"].replace(",", "")) * units[row["Metric Unit"]]
    kernels = len({row["ID"] for row in rows})
    return {"model": name, "batch": batch, "cache_control": cache_control, "kernels": kernels,
            "read_bytes": total["dram__bytes_read.sum"], "write_bytes": total["dram__bytes_write.sum"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    parser.add_argument("--cache-control", choices=["all", "none"], default="all")
    parser.add_argument("--forward", nargs=2, metavar=("MODEL", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.forward:
        forward(args.forward[0], int(args.forward[1]))
        return 0
    if not args.out:
        parser.error("--out is required")
    rows = []
    for name, batches in MODELS.items():
        for batch in batches:
            row = profile(name, batch, args.cache_control)
            rows.append(row)
            print(json.dumps(row), flush=True)
    with open(args.out, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row) + "\n" for row in rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
