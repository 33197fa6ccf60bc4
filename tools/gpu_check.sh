#!/usr/bin/env bash
# Every GPU check of issue 17 in one command, for a short session on the GPU machine.
#
#   bash tools/gpu_check.sh                  # from the repository root; writes under $OUT
#   OUT=/tmp/gpu_check_out bash tools/gpu_check.sh     # anywhere else (no GPU: stages say so)
#   STAGES="bench memory" bash tools/gpu_check.sh      # a re-run of some stages only
#   STAND_IN=1 OUT=/tmp/gco bash tools/gpu_check.sh     # no GPU: the CuPy stand-in plays it
#                                                       # (code paths only; nothing recorded)
#
# Stages, in order, each under its own time limit (seconds, env overrides; total 465 s):
#   smoke  (T_SMOKE=50)   d2l.ones(2).device must name GPU:0; the seed programs of tests/seeds
#                         run as programs with default placement (tools/gpu_smoke.py)
#   suite  (T_SUITE=210)  pytest tests/engine tests/properties tests/seeds d2l_core, default
#                         placement (the GPU), -n 16 when pytest-xdist is there
#   bench  (T_BENCH=150)  benchmarks/gpu.py, sections launches,keras,mlp,matmul,copies in that
#                         order (results/gpu.md is rewritten after each, so a timeout keeps
#                         the sections done)
#   memory (T_MEMORY=55)  tests/engine/test_gpu_memory.py: CuPy's pool flat over 1,000 steps
#
# Written under $OUT: env.txt (versions, nvidia-smi), <stage>.txt (each stage's output),
# suite.xml and memory.xml (JUnit), gpu.md and gpu-launch-events.json (the benchmark),
# summary.txt (one line per stage, also printed at the end). A failing stage does not stop
# the later ones. Exit status: 0 when every stage passed, else 1.
#
# The image is assumed to have Python with NumPy, CuPy, PyTorch, pytest, pytest-xdist and
# hypothesis (/work/shared/STACK.md). d2l_core's other runtime dependencies (tqdm,
# matplotlib) are pure Python: when absent, one quick pip attempt is made; the pip index
# is normally unreachable there, so they are then reported missing and skipped around
# (d2l_core/plot.py's doctests need matplotlib; tqdm is only for progress bars).

set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
OUT=${OUT:-$ROOT/gpu_check_out}
mkdir -p "$OUT"
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
export PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg
PY=${PYTHON:-$(command -v python || command -v python3)}
STAGES=${STAGES:-smoke suite bench memory}
STAND_IN=${STAND_IN:-0}
SI=()
if [ "$STAND_IN" = 1 ]; then
  SI=(--stand-in)
  export D2L_STAND_IN_GPU=1           # the suite: the stand-in is the default device
fi
T_SMOKE=${T_SMOKE:-50} T_SUITE=${T_SUITE:-210} T_BENCH=${T_BENCH:-150} T_MEMORY=${T_MEMORY:-55}
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
START=$(date +%s)

note() { echo "$*" | tee -a "$SUMMARY"; }
has() { "$PY" -c "import $1" >/dev/null 2>&1; }

# run STAGE LIMIT CMD...: output to the terminal and $OUT/STAGE.txt; one summary line
run() {
  local stage=$1 limit=$2; shift 2
  local t0=$(date +%s) rc
  echo; echo "===== $stage (limit ${limit}s): $*"
  # SIGINT first: pytest then stops cleanly and still writes its summary and JUnit file
  timeout -s INT -k 15 "$limit" "$@" 2>&1 | tee "$OUT/$stage.txt"
  rc=${PIPESTATUS[0]}
  local took=$(( $(date +%s) - t0 )) what
  case $rc in
    0) what="ok" ;;
    124|137) what="TIMED OUT after ${limit}s" ;;
    *) what="FAILED (exit $rc)" ;;
  esac
  note "$(printf '%-7s %-28s %4ss  %s' "$stage" "$what" "$took" "$(tail -n 1 "$OUT/$stage.txt" | cut -c1-110)")"
  return 0
}

wanted() { case " $STAGES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# ---------------------------------------------------------------- environment
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --short 2>/dev/null | wc -l) changed files"
  echo "python: $PY ($("$PY" -V 2>&1))"
  "$PY" - <<'EOF' 2>&1
import importlib
for name in ("numpy", "cupy", "torch", "pytest", "xdist", "hypothesis", "tqdm", "matplotlib"):
    try:
        m = importlib.import_module(name)
        print(f"{name}: {getattr(m, '__version__', 'ok')}")
    except Exception as e:
        print(f"{name}: MISSING ({type(e).__name__}: {e})")
try:
    import cupy
    print("cupy.cuda.is_available():", cupy.cuda.is_available())
except Exception as e:
    print("cupy:", e)
try:
    import torch
    print("torch.cuda.is_available():", torch.cuda.is_available(), "torch.version.cuda:", torch.version.cuda)
except Exception as e:
    print("torch:", e)
EOF
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1
  echo "cores: $(nproc)"
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

# d2l_core's own pure-Python runtime dependencies, only if absent (one short pip try each)
MISSING=""
for dep in tqdm matplotlib; do
  if ! has $dep; then
    echo "$dep missing: one pip attempt (the index is usually unreachable here)"
    timeout 20 "$PY" -m pip install --quiet --disable-pip-version-check --timeout 5 --retries 0 "$dep" \
      >> "$OUT/pip.txt" 2>&1 || true
    has $dep || MISSING="$MISSING $dep"
  fi
done
[ -n "$MISSING" ] && note "missing  ${MISSING# } (not installable here; tests that need it are skipped or fail)"

GPU=$("$PY" -c "
from d2l_core import backend
print('yes' if backend.gpu_count() > 0 else 'no')" 2>/dev/null || echo "no")
[ "$STAND_IN" = 1 ] && note "gpu      STAND-IN: tests/support/fake_cupy.py plays the GPU (code paths only)"
[ "$GPU" = yes ] || note "gpu      ABSENT: no CUDA GPU visible to d2l_core (stages run anyway; GPU checks skip)"

# ---------------------------------------------------------------- stages
if wanted smoke; then
  run smoke "$T_SMOKE" "$PY" tools/gpu_smoke.py ${SI[@]+"${SI[@]}"}
fi

if wanted suite; then
  XDIST=()
  if has xdist; then XDIST=(-n "${WORKERS:-16}"); else note "suite    pytest-xdist missing: one process"; fi
  IGNORE=()
  has matplotlib || IGNORE=(--ignore=d2l_core/plot.py)
  run suite "$T_SUITE" "$PY" -m pytest -q tests/engine tests/properties tests/seeds d2l_core \
    ${XDIST[@]+"${XDIST[@]}"} ${IGNORE[@]+"${IGNORE[@]}"} -p no:cacheprovider --junitxml="$OUT/suite.xml"
  for dep in $MISSING; do
    n=$(grep -c "No module named '$dep'\|import.*$dep" "$OUT/suite.txt" 2>/dev/null || true)
    [ "${n:-0}" -gt 0 ] && note "suite    $n lines of its output mention the missing $dep: those failures are the image's"
  done
fi

if wanted bench; then
  run bench "$T_BENCH" "$PY" benchmarks/gpu.py --only launches,keras,mlp,matmul,copies ${SI[@]+"${SI[@]}"}
  for f in benchmarks/results/gpu.md benchmarks/results/gpu-launch-events.json; do
    [ -f "$f" ] && [ "$f" -nt "$OUT/env.txt" ] && cp "$f" "$OUT/"
  done
fi

if wanted memory; then
  run memory "$T_MEMORY" "$PY" -m pytest -q -s -rA tests/engine/test_gpu_memory.py \
    -p no:cacheprovider --junitxml="$OUT/memory.xml"
fi

# ---------------------------------------------------------------- summary
echo
echo "===== summary ($(( $(date +%s) - START ))s in all; files in $OUT)"
cat "$SUMMARY"
ls -l "$OUT"
grep -qE "FAILED|TIMED OUT" "$SUMMARY" && exit 1
exit 0
