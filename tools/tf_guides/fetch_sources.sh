#!/usr/bin/env bash
# Copy the measured notebooks into the harness's cache (never into this repo).
#
#   tools/tf_guides/fetch_sources.sh TF_DOCS_GIT [KERAS_IO_GIT]
#
# TF_DOCS_GIT / KERAS_IO_GIT: git directories (a clone or a bare mirror) of
# https://github.com/tensorflow/docs and https://github.com/keras-team/keras-io,
# e.g. from `git clone --depth 1 https://github.com/tensorflow/docs`.
# The files are read at their HEAD. Cache: $D2L_TF_GUIDES_CACHE or
# ~/.cache/d2l-course/tf-guides.
set -euo pipefail
tfdocs=${1:?usage: $0 TF_DOCS_GIT [KERAS_IO_GIT]}
kerasio=${2:-}
cache=${D2L_TF_GUIDES_CACHE:-$HOME/.cache/d2l-course/tf-guides}
here=$(cd "$(dirname "$0")" && pwd)
python3 - "$here" <<'PY' | while read -r repo path; do
import sys
sys.path.insert(0, sys.argv[1])
import notebooks
for repo, path, _ in notebooks.NOTEBOOKS.values():
    print(repo, path)
PY
  case $repo in
    tensorflow-docs) src=$tfdocs ;;
    keras-io) src=$kerasio ;;
  esac
  if [ -z "$src" ]; then echo "skip $repo/$path (no $repo checkout given)"; continue; fi
  mkdir -p "$cache/sources/$repo/$(dirname "$path")"
  git -C "$src" show "HEAD:$path" > "$cache/sources/$repo/$path"
  echo "$cache/sources/$repo/$path"
done
