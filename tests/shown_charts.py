"""What a chart sends to the browser, read back: a trace's values as Plotly encodes them."""

from __future__ import annotations

import base64

import numpy as np


def values(x: list | dict) -> list:
    """A trace's values: a list, or a typed array (dtype + base64, as Plotly sends numpy data)."""
    if isinstance(x, dict):
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)
