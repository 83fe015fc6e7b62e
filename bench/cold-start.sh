#!/usr/bin/env bash
# Cold start of one inference server, two builds side by side in one run: time from process start to
# /v2/health/ready, and the first and second HTTP v2 infer. Prints every run, then medians and ratios.
# Usage: bench/cold-start.sh [runs per variant, default 6] [baseline git revision] [model]
#   without a revision (or with ""): this tree published with JIT against ReadyToRun (as the Dockerfiles build it);
#   with one: that revision against this tree, both ReadyToRun (measure a change before and after).
#   model: tiny_mlp (default; one request of 1 x 4), or bert_base (reduced; one request of 8 x 512 tokens, maximum
#   batch 8, one intra-op thread, SLO 1 s), the zoo's model as this tree writes it for both builds.
# Needs curl; ports 18080-18082 free.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-6}
baseline=${2:-}
model=${3:-tiny_mlp}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base-src" 2> /dev/null || true; rm -rf "$work"' EXIT
project=inference-server/src/MigInfer.InferenceServer/MigInfer.InferenceServer.csproj
publish() { # $1 = source tree, $2 = output folder, $3... = extra publish properties
  local source=$1 out=$2; shift 2
  dotnet publish "$source/$project" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false "$@" -o "$out" > /dev/null
}
dotnet run --project cli/MigInfer.Cli -c Release -- models --out "$work/models" --scale reduced > /dev/null
if [ -z "$baseline" ]; then
  names=(jit r2r); labels=("JIT" "ReadyToRun")
  publish . "$work/jit"
  publish . "$work/r2r" -p:PublishReadyToRun=true
else
  names=(base this); labels=("$baseline" "this tree")
  git worktree add --detach "$work/base-src" "$baseline" > /dev/null 2>&1
  publish "$work/base-src" "$work/base" -p:PublishReadyToRun=true
  publish . "$work/this" -p:PublishReadyToRun=true
fi
case $model in
  tiny_mlp)
    echo '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}' > "$work/body.json"
    options=(--slo-ms 20) ;;
  bert_base)
    ones=$(printf '1,%.0s' $(seq 4096)); ones=${ones%,}
    echo "{\"inputs\":[{\"name\":\"input_ids\",\"shape\":[8,512],\"datatype\":\"INT64\",\"data\":[$ones]},{\"name\":\"attention_mask\",\"shape\":[8,512],\"datatype\":\"INT64\",\"data\":[$ones]}]}" > "$work/body.json"
    options=(--slo-ms 1000 --max-batch-size 8 --intra-op-threads 1) ;;
  *) echo "model is tiny_mlp or bert_base, not $model" >&2; exit 2 ;;
esac

infer() { # one request; prints its time in seconds, or stops the bench when it was not answered 200
  local answer
  answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:18080/v2/models/$model/infer" --data-binary "@$work/body.json")
  [ "${answer% *}" = 200 ] || { echo "infer answered ${answer% *}, not 200" >&2; exit 1; }
  echo "${answer#* }"
}

one() { # $1 = publish folder; prints "ready_ms first_ms second_ms"
  local start pid ready first second
  start=$(date +%s%N)
  dotnet "$1/MigInfer.InferenceServer.dll" --model-path "$work/models/$model.onnx" --slice-profile 1g.5gb "${options[@]}" \
    --http-port 18080 --grpc-port 18081 --metrics-port 18082 > /dev/null 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/v2/health/ready || true)" = 200 ]; do sleep 0.02; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  first=$(infer); second=$(infer)
  kill "$pid"; wait "$pid" 2> /dev/null || true
  awk -v r="$ready" -v f="$first" -v s="$second" 'BEGIN { printf "%d %.1f %.1f\n", r, f * 1000, s * 1000 }'
}

for i in $(seq "$runs"); do
  for variant in "${names[@]}"; do
    echo "$variant $(one "$work/$variant")" | tee -a "$work/runs"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo
echo "| measure | ${labels[0]} median | ${labels[1]} median | ratio |"
echo "|---|---:|---:|---:|"
for column in 2:ready 3:first 4:second; do
  index=${column%%:*}; name=${column#*:}
  a=$(awk -v c="$index" -v n="${names[0]}" '$1 == n { print $c }' "$work/runs" | median)
  b=$(awk -v c="$index" -v n="${names[1]}" '$1 == n { print $c }' "$work/runs" | median)
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf "| %s (ms) | %.1f | %.1f | %.2f |\n", n, a, b, b / a }'
done
