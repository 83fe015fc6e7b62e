#!/usr/bin/env bash
# Cold start of one inference server, JIT against ReadyToRun, side by side in one run: time from process start to
# /v2/health/ready, and the first and second HTTP v2 infer on the tiny MLP. Prints every run, then medians and ratios.
# Usage: bench/cold-start.sh [runs per variant, default 6]   (needs curl; ports 18080-18082 free)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project=inference-server/src/MigInfer.InferenceServer/MigInfer.InferenceServer.csproj
dotnet run --project cli/MigInfer.Cli -c Release -- models --out "$work/models" --scale reduced > /dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -o "$work/jit" > /dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -p:PublishReadyToRun=true -o "$work/r2r" > /dev/null
body='{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}'

one() { # $1 = publish folder; prints "ready_ms first_ms second_ms"
  local start pid ready first second
  start=$(date +%s%N)
  dotnet "$1/MigInfer.InferenceServer.dll" --model-path "$work/models/tiny_mlp.onnx" --slice-profile 1g.5gb --slo-ms 20 \
    --http-port 18080 --grpc-port 18081 --metrics-port 18082 > /dev/null 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/v2/health/ready || true)" = 200 ]; do sleep 0.02; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  first=$(curl -s -o /dev/null -w '%{time_total}' -X POST http://127.0.0.1:18080/v2/models/tiny_mlp/infer -d "$body")
  second=$(curl -s -o /dev/null -w '%{time_total}' -X POST http://127.0.0.1:18080/v2/models/tiny_mlp/infer -d "$body")
  kill "$pid"; wait "$pid" 2> /dev/null || true
  awk -v r="$ready" -v f="$first" -v s="$second" 'BEGIN { printf "%d %.1f %.1f\n", r, f * 1000, s * 1000 }'
}

for i in $(seq "$runs"); do
  for variant in jit r2r; do
    echo "$variant $(one "$work/$variant")" | tee -a "$work/runs"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo
echo "| measure | JIT median | ReadyToRun median | ReadyToRun / JIT |"
echo "|---|---:|---:|---:|"
for column in 2:ready 3:first 4:second; do
  index=${column%%:*}; name=${column#*:}
  jit=$(awk -v c="$index" '$1 == "jit" { print $c }' "$work/runs" | median)
  r2r=$(awk -v c="$index" '$1 == "r2r" { print $c }' "$work/runs" | median)
  awk -v n="$name" -v j="$jit" -v r="$r2r" 'BEGIN { printf "| %s (ms) | %.1f | %.1f | %.2f |\n", n, j, r, r / j }'
done
