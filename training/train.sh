#!/usr/bin/env bash
# One command: build the CLI, generate the train split with the project's scene
# generator, train cardnet on CPU, export core/models/cardnet.onnx, and write the
# model card (with the Rust evaluation of the exported model on the eval split).
#
# Env knobs: SCENES (train scenes, default 8000), EPOCHS (default 14), SEED,
# JOBS (parallel generator processes, default 2), MAX_MINUTES (safety stop, 0=off),
# EVAL_COUNT (eval scenes for the model card, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
SCENES=${SCENES:-8000}
EPOCHS=${EPOCHS:-14}
SEED=${SEED:-1234}
JOBS=${JOBS:-2}
MAX_MINUTES=${MAX_MINUTES:-0}
EVAL_COUNT=${EVAL_COUNT:-600}
WIDTH=${WIDTH:-640}
HEIGHT=${HEIGHT:-360}
DATA=training/data/train-$SCENES-${WIDTH}x$HEIGHT

if [ ! -x training/.venv/bin/python ]; then
  python3 -m venv training/.venv
  training/.venv/bin/pip install -r training/requirements.txt
fi

cargo build -p cardscan-cli
CLI=target/debug/cardscan

# Train split only; the eval split is never generated here for training.
if [ ! -f "$DATA/.complete" ]; then
  mkdir -p "$DATA"
  per=$(( (SCENES + JOBS - 1) / JOBS ))
  for j in $(seq 0 $((JOBS - 1))); do
    start=$((j * per)); n=$(( SCENES - start < per ? SCENES - start : per ))
    "$CLI" synth scenes --out "$DATA" --count "$n" --start "$start" --split train \
      --width "$WIDTH" --height "$HEIGHT" &
  done
  wait
  touch "$DATA/.complete"
fi

training/.venv/bin/python training/train.py --data "$DATA" --out "training/out" --epochs "$EPOCHS" \
  --seed "$SEED" --max-minutes "$MAX_MINUTES" --cache-name "$(basename "$DATA").npz"
training/.venv/bin/python training/model_card.py --cli "$CLI" --eval-count "$EVAL_COUNT"
