#!/usr/bin/env bash
# Installs uv when missing and syncs the project's environment from uv.lock (dev group included).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
  echo "setup-python: installing uv with pip"
  python3 -m pip install --quiet --disable-pip-version-check uv \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages uv
  hash -r
fi
if ! command -v uv >/dev/null 2>&1; then
  # pip --user puts it in ~/.local/bin
  export PATH="$HOME/.local/bin:$PATH"
fi

if [ -f uv.lock ]; then
  uv sync --frozen --quiet
else
  echo "setup-python: WARNING: no uv.lock; resolving afresh" >&2
  uv sync --quiet
fi
echo "setup-python: $(uv run --frozen python --version) environment ready in .venv"
