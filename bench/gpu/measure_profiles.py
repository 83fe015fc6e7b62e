"""Latency of the example architectures on a GPU, across batch sizes: the measurements that ground
the roofline estimate (operator/src/MigInfer.Planning/Capacity/RooflineEstimator.cs).

Runs where PyTorch with CUDA is installed (a GPU machine); prints one JSON line per measurement and
writes them all to --out. For each model and batch:

- "graph": the forward pass captured once as a CUDA graph and replayed, so the time is the GPU's
  alone (no Python or launch overhead): what an optimised runtime approaches;
- "eager": the forward pass launched op by op from Python: an upper bound for a runtime that
  launches every kernel itself;
- "graph" again with the kernels confined to a share of the SMs through a CUDA green context
  (--sms), when this PyTorch has them: the compute share of a MIG slice, but not its share of the
  memory bandwidth and L2, so an optimistic stand-in for the slice.

Each time is the median over --repeats timed runs of --iterations forward passes (CUDA events),
after --warmup passes. Channels-last for the CNNs, inference mode. --precision picks the numbers:
fp16 (weights and activations), fp32 (full float32 arithmetic) or tf32 (float32 tensors, matrix
products and convolutions on the tensor cores in TensorFloat-32, as ONNX Runtime's CUDA execution
provider does with its use_tf32 option).

    python3 bench/gpu/measure_profiles.py --out profiles.jsonl
    python3 bench/gpu/measure_profiles.py --precision tf32 --models resnet50,bert_base_s128 --out tf32.jsonl
    python3 bench/gpu/measure_profiles.py --batches 3,6,12,24,48 --out between.jsonl
"""

import argparse
import json
import statistics
import sys

import torch


def resnet50():
    import torchvision

    return torchvision.models.resnet50(weights=None), lambda b: torch.randn(b, 3, 224, 224)


def mobilenet_v2():
    import torchvision

    return torchvision.models.mobilenet_v2(weights=None), lambda b: torch.randn(b, 3, 224, 224)


def bert(layers, hidden, heads, sequence):
    def build():
        from transformers import BertConfig, BertModel

        config = BertConfig(
            hidden_size=hidden,
            num_hidden_layers=layers,
            num_attention_heads=heads,
            intermediate_size=4 * hidden,
        )
        return BertModel(config), lambda b: torch.randint(0, config.vocab_size, (b, sequence))

    return build


MODELS = {
    "resnet50": (resnet50, [1, 2, 4, 8, 16, 32, 64]),
    "mobilenet_v2": (mobilenet_v2, [1, 2, 4, 8, 16, 32, 64]),
    "bert_base_s128": (bert(12, 768, 12, 128), [1, 2, 4, 8, 16, 32]),
    "bert_large_s128": (bert(24, 1024, 16, 128), [1, 2, 4, 8, 16]),
}


def timed(run, warmup, iterations, repeats):
    for _ in range(warmup):
        run()
    torch.cuda.synchronize()
    samples = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iterations):
            run()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) / iterations)
    return statistics.median(samples), min(samples), max(samples)


def captured(model, example, stream=None):
    """The forward pass as a CUDA graph over a static input, captured on a side stream as PyTorch asks
    (the green context's stream when given, so the graph's kernels run on its SMs)."""
    stream = stream or torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            model(example)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph, stream=stream):
        model(example)
    return graph.replay


def confined(module, example, context, sms, args):
    """One graph-mode measurement on the green context's SMs. cuDNN's autotuned choice sometimes fails to
    execute on a green context (CUDNN_STATUS_EXECUTION_FAILED, seen for ResNet-50 at batch 4 and 8); then
    the measurement is taken again with cuDNN's default heuristics and the row says so."""
    row = {"mode": "graph", "sms": sms}
    for benchmark in (True, False):
        torch.backends.cudnn.benchmark = benchmark
        try:
            stream = context.Stream()
            limited = captured(module, example, stream)
            with torch.cuda.stream(stream):
                row["ms"] = timed(limited, args.warmup, args.iterations, args.repeats)
            row.pop("error", None)
            if not benchmark:
                row["cudnn_benchmark"] = False
            break
        except RuntimeError as error:
            row["error"] = str(error)
            if "cuDNN" not in str(error):
                break
        finally:
            torch.backends.cudnn.benchmark = True
    return row


def green_context(sms):
    """A green context with at least `sms` SMs, or None with the reason when this PyTorch or driver has none."""
    try:
        from torch.cuda.green_contexts import GreenContext

        return GreenContext.create(sms, torch.cuda.current_device()), None
    except Exception as error:  # any failure means: no SM-limited measurement, say why
        return None, f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--sms", default="16,32,64", help="SM counts for the green-context runs ('' for none)")
    parser.add_argument("--batches", default="", help="batch sizes instead of each model's powers of two, up to its largest (e.g. 3,6,12,24,48)")
    parser.add_argument("--precision", choices=["fp16", "fp32", "tf32"], default="fp16")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    device = torch.device("cuda")
    properties = torch.cuda.get_device_properties(device)
    header = {
        "gpu": properties.name,
        "sms": properties.multi_processor_count,
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(),
        "precision": args.precision,
    }
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = args.precision == "tf32"
    torch.backends.cudnn.allow_tf32 = args.precision == "tf32"
    dtype = torch.float16 if args.precision == "fp16" else torch.float32
    rows = [header]
    print(json.dumps(header), flush=True)

    def emit(row):
        rows.append(row)
        print(json.dumps(row), flush=True)

    sm_counts = [int(s) for s in args.sms.split(",") if s]
    contexts = {sms: green_context(sms) for sms in sm_counts}
    for name in args.models.split(","):
        build, batches = MODELS[name]
        if args.batches:
            batches = [b for b in (int(b) for b in args.batches.split(",")) if b <= max(batches)]
        module, make_input = build()
        module = module.to(device=device, dtype=dtype).eval()
        cnn = name in ("resnet50", "mobilenet_v2")
        if cnn:
            module = module.to(memory_format=torch.channels_last)
        for batch in batches:
            example = make_input(batch).to(device)
            if cnn:
                example = example.to(dtype=dtype, memory_format=torch.channels_last)
            with torch.inference_mode():
                try:
                    eager = timed(lambda: module(example), args.warmup, args.iterations, args.repeats)
                    emit({"model": name, "batch": batch, "mode": "eager", "sms": properties.multi_processor_count, "ms": eager})
                    replay = captured(module, example)
                    graph = timed(replay, args.warmup, args.iterations, args.repeats)
                    emit({"model": name, "batch": batch, "mode": "graph", "sms": properties.multi_processor_count, "ms": graph})
                    for sms in sm_counts:
                        context, problem = contexts[sms]
                        if context is None:
                            emit({"model": name, "batch": batch, "mode": "graph", "sms": sms, "error": problem})
                            continue
                        context.set_context()
                        try:
                            emit({"model": name, "batch": batch} | confined(module, example, context, sms, args))
                        finally:
                            context.pop_context()
                except torch.cuda.OutOfMemoryError as error:
                    emit({"model": name, "batch": batch, "error": f"out of memory: {error}"})
                    torch.cuda.empty_cache()
        del module
        torch.cuda.empty_cache()

    with open(args.out, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
