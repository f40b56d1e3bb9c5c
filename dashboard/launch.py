"""Start the dashboard with the security settings passed explicitly (any working directory).

`python -m dashboard.launch` (or `make run`): XSRF protection on, uploads capped, error details
hidden from the browser; PORT and ADDRESS from the environment (default 8501 on localhost).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
SECURITY = {
    "server.enableXsrfProtection": "true",
    "server.enableCORS": "true",
    "server.maxUploadSize": "20",
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",
    "browser.gatherUsageStats": "false",
}


def command(env: Mapping[str, str] | None = None, extra: list[str] | None = None) -> list[str]:
    """The streamlit command line: the app, the security settings, port and address."""
    env = os.environ if env is None else env
    port = env.get("PORT") or "8501"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit(f"PORT must be a port number (1–65535), not {port!r}")
    settings = {**SECURITY, "server.port": port,
                "server.address": env.get("ADDRESS") or "localhost"}
    args = [sys.executable, "-m", "streamlit", "run", str(APP)]
    for key, value in settings.items():
        args += [f"--{key}", value]
    return args + list(extra or [])


def main(argv: list[str] | None = None) -> None:
    args = command(extra=sys.argv[1:] if argv is None else argv)
    os.execv(args[0], args)


if __name__ == "__main__":
    main()
