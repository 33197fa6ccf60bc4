#!/usr/bin/env bash
# Create the scratch environments the harness uses (outside this repo; once).
#
#   tools/tf_guides/setup_tf.sh
#
# - ~/.cache/d2l-course/tf-2.21: TensorFlow 2.21 (CPU) with the notebooks'
#   other imports (matplotlib, pandas, seaborn, scikit-learn). Never a
#   dependency of d2l_core.
# - ~/.cache/d2l-course/aux-py311: the same pandas/seaborn/scikit-learn/scipy
#   versions for the d2l_core side, installed with --target and appended to
#   sys.path after .venv's site-packages (the course's .venv is not touched).
set -euo pipefail
root=$HOME/.cache/d2l-course
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
d2lpy=${D2L_PYTHON:-$repo/.venv/bin/python}
mkdir -p "$root"
# The transfer test (tools/transfer) makes the same environment with fewer
# packages; add the guides' extra ones to it when they are missing.
if [ ! -x "$root/tf-2.21/bin/python" ]; then
  python3 -m venv "$root/tf-2.21"
fi
if ! "$root/tf-2.21/bin/python" -c "import tensorflow, matplotlib, pandas, seaborn, sklearn" 2>/dev/null; then
  "$root/tf-2.21/bin/pip" install -q tensorflow-cpu==2.21.0 matplotlib pandas seaborn scikit-learn
fi
if [ ! -d "$root/aux-py311" ]; then
  pins=$("$root/tf-2.21/bin/pip" list 2>/dev/null | awk '$1=="pandas"||$1=="seaborn"||$1=="scikit-learn"||$1=="scipy"{printf "%s==%s ", $1, $2}')
  "$d2lpy" -m pip install -q --target "$root/aux-py311" $pins
fi
echo "ok: $root/tf-2.21 $root/aux-py311"
