#!/usr/bin/env bash
# One command, seeded and reproducible: generate the training scenes with the
# project's own scene generator (cardscan-synth), train cardnet on CPU, export
# core/models/cardnet.onnx, the glare judge core/models/glarenet.onnx
# (train_glare.py) and the second look core/models/secondlook.onnx
# (train_second_look.py) and the side check core/models/sidecheck.onnx
# (train_side_check.py), then write core/models/MODEL_CARD.md with
# `cardscan eval` figures of both detectors on the untouched eval split.
#
# Scenes come from `training/gen` (a release build of cardscan-synth's
# `scene()`; ~50 scenes/s instead of the debug CLI's ~3) with seeds
# 7 000 000 000 + i, disjoint from the CLI splits (train 1e6+, test 2e6+,
# eval 3e6+): the eval split is never generated or seen here.
#
# Env knobs: SCENES (default 12000), EPOCHS (5), SEED (1234),
# MAX_MINUTES (safety stop, 0 = off), EVAL_COUNT (300), HARD_COUNT (100).
set -euo pipefail
cd "$(dirname "$0")/.."
SCENES=${SCENES:-12000}
EPOCHS=${EPOCHS:-5}
SEED=${SEED:-1234}
MAX_MINUTES=${MAX_MINUTES:-0}
EVAL_COUNT=${EVAL_COUNT:-300}
HARD_COUNT=${HARD_COUNT:-100}
WIDTH=640
HEIGHT=360
SEED_BASE=7000000000
DATA=training/data/train-gen-${WIDTH}x$HEIGHT

if [ ! -x training/.venv/bin/python ]; then
  python3 -m venv training/.venv
  training/.venv/bin/pip install -r training/requirements.txt
fi

(cd training/gen && cargo build --release)
GEN=training/data/gen-target/release/cardnet-gen

if [ ! -f "$DATA/.complete" ]; then
  mkdir -p "$DATA"
  half=$((SCENES / 2))
  # Two processes (every third scene is Difficulty::Hard, see gen/src/main.rs).
  "$GEN" "$DATA" "$SEED_BASE" 0 "$half" "$WIDTH" "$HEIGHT" &
  "$GEN" "$DATA" "$SEED_BASE" "$half" "$((SCENES - half))" "$WIDTH" "$HEIGHT" &
  wait
  touch "$DATA/.complete"
fi

training/.venv/bin/python training/train.py --data "$DATA" --out training/out --epochs "$EPOCHS" \
  --seed "$SEED" --max-minutes "$MAX_MINUTES" --cache-name "$(basename "$DATA").npz"

# The glare judge (quality/glare/net.rs) on the same scenes' cards.
training/.venv/bin/python training/train_glare.py --data "$DATA" --per-dir "$SCENES" --seed "$SEED"

# The second look (detect/second_look.rs) on the same scenes, from the luma
# cache train.py wrote.
training/.venv/bin/python training/train_second_look.py --data "$DATA" --cache-dir training/out \
  --seed "$SEED"

# The side check (detect/side_check.rs) on the same scenes' luma cache.
training/.venv/bin/python training/train_side_check.py --caches "training/out/$(basename "$DATA").npz" \
  --seed "$SEED"

cargo build -p cardscan-cli
training/.venv/bin/python training/model_card.py --cli target/debug/cardscan \
  --eval-count "$EVAL_COUNT" --hard-count "$HARD_COUNT"
