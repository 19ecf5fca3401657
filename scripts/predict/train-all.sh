#!/usr/bin/env bash
# Reproduces every model in models/ from scratch (not part of CI; about 10–15 min on 2 idle cores):
#   1. pv-inverter training windows from the fleet simulator (scripts/predict/export-dataset.ts)
#   2. the C-MAPSS FD001 benchmark (models/benchmarks/cmapss-fd001)
#   3. the pv-inverter LSTM (models/pv-inverter-lstm: model.onnx, manifest, reference, model card)
#   4. onnxruntime-web in Node against the torch reference outputs
# The training windows (~640 MB) go to $WATCHFLOOR_TRAIN_DIR (default /tmp/watchfloor-train), never
# into the repository. Needs Debian's python3-torch and python3-onnx (apt), used through /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY="${WATCHFLOOR_PYTHON:-/usr/bin/python3}"
DATA="${WATCHFLOOR_TRAIN_DIR:-${TMPDIR:-/tmp}/watchfloor-train}/pv-inverter"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

if ! "$PY" -c 'import torch, onnx, numpy' 2>/dev/null; then
  echo "train-all: $PY cannot import torch, onnx and numpy." >&2
  echo "  Install them with: sudo apt-get install python3-torch python3-onnx python3-numpy" >&2
  echo "  (or point WATCHFLOOR_PYTHON at a python that has them)" >&2
  exit 2
fi

t0=$(date +%s)
echo "== 1/4 export pv-inverter windows → $DATA"
npx tsx scripts/predict/export-dataset.ts --out "$DATA"
t1=$(date +%s)
echo "== 2/4 C-MAPSS FD001 benchmark"
"$PY" models/train.py cmapss
t2=$(date +%s)
echo "== 3/4 pv-inverter LSTM"
"$PY" models/train.py pv-inverter --data "$DATA"
t3=$(date +%s)
echo "== 4/4 ONNX parity (onnxruntime-web vs torch)"
npx tsx scripts/predict/verify-onnx.ts models/pv-inverter-lstm
echo "done: export $((t1 - t0)) s, C-MAPSS $((t2 - t1)) s, pv-inverter $((t3 - t2)) s, total $(($(date +%s) - t0)) s"
