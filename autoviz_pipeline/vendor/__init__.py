"""Vega, Vega-Lite, vega-embed and vega-interpreter, vendored from npm for the interactive charts of report.html.

The builds are the packages' own, byte for byte (versions, sources and checksums in README.md; ``update.sh``
re-vendors them). The report inlines them, so a report works offline, and allows exactly these scripts in its
Content-Security-Policy through :func:`csp_hash`.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files

SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-interpreter.min.js", "vega-embed.min.js")
"""In loading order: vega-lite and vega-interpreter extend the ``vega`` global, vega-embed uses all three."""


@cache
def script(name: str) -> str:
    """The text of one vendored script (one of :data:`SCRIPTS`)."""
    if name not in SCRIPTS:
        raise ValueError(f"{name!r} is not a vendored script; expected one of {', '.join(SCRIPTS)}")
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        # inlined, the script would end early or switch the HTML parser into its escaped state
        raise ValueError(f"{name} cannot be inlined in a <script> element: it holds '</script' or '<!--'")
    return text


def csp_hash(text: str) -> str:
    """The CSP source (``'sha256-…'``) that allows an inline ``<script>`` holding exactly ``text``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


__all__ = ["SCRIPTS", "csp_hash", "script"]
