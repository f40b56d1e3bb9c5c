#!/usr/bin/env bash
# Installs the Debian packages the project needs (chromium for kaleido and the browser tests,
# fonts with full Vietnamese coverage, PostgreSQL for multi-user reporting) and creates the
# unprivileged system user the PostgreSQL server runs as (it refuses to run as root).
# Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  chromium          # kaleido (chart exports) and Playwright browser tests use /usr/bin/chromium
  fonts-noto-core   # Noto Sans / Noto Serif: full Vietnamese coverage for charts and exports
  fonts-dejavu-core # DejaVu Sans: fallback with Vietnamese coverage
  fontconfig        # fc-list / fc-match, font discovery for chromium
  tesseract-ocr     # OCR of scanned PDF plans
  tesseract-ocr-vie # Vietnamese language data for tesseract
  poppler-utils     # pdftoppm: deck/export PDF pages to PNG in the visual tests
  make
  postgresql        # multi-user write store (papi db init; tests/pg start throwaway clusters)
  util-linux        # setpriv: start PostgreSQL as the unprivileged user below
)
PG_OS_USER="${PAPI_PG_OS_USER:-papi-pg}"

# PostgreSQL refuses to run as root (CI and these machines run as root): a system user for it.
ensure_pg_user() {
  if id "$PG_OS_USER" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -eq 0 ]; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_OS_USER"
    echo "setup-system: created system user $PG_OS_USER (runs the PostgreSQL server)"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_OS_USER"
  fi
}
trap ensure_pg_user EXIT

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all Debian packages present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: WARNING: no apt-get; please install: ${missing[*]}" >&2
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "setup-system: WARNING: not root; skipping install of: ${missing[*]}" >&2
    echo "setup-system: browser tests and chart exports need them (sudo apt-get install ...)" >&2
    exit 0
  fi
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v fc-cache >/dev/null 2>&1; then
  fc-cache -f >/dev/null 2>&1 || true
fi
echo "setup-system: done"
