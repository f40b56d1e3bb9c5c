#!/usr/bin/env bash
# Installs uv when missing and syncs the project's environment from uv.lock (dev group included).
# Bytecode is compiled at setup, for the environment (uv --compile-bytecode) and for the project's
# own packages (compileall): many machines set PYTHONDONTWRITEBYTECODE, and without the caches
# every `papi` run compiles its imports again (about 3 s of each `papi etl` before this was done).
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
  uv sync --frozen --compile-bytecode --quiet
else
  echo "setup-python: WARNING: no uv.lock; resolving afresh" >&2
  uv sync --compile-bytecode --quiet
fi
# compileall writes the caches whatever PYTHONDONTWRITEBYTECODE says; a source edited later is
# recompiled in memory when imported (the cache records the source's time and size)
uv run --frozen python -m compileall -q -j 0 etl dashboard papi >/dev/null
# items.yaml parsed once, beside the bytecode (etl/ref: a stale copy is ignored)
uv run --frozen python -m etl.ref >/dev/null
echo "setup-python: $(uv run --frozen python --version) environment ready in .venv"
