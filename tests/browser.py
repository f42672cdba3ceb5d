"""The report as a reader's browser shows it: headless Chromium at 1400 x 900.

A copy of the report gets one script at its end that measures where the verdict, the overview
and the first failure are drawn and which elements the page holds that no report of ours
has (scripts, images, frames, forms, event-handler attributes...), and writes that into the
page; ``chromium --headless --dump-dom`` prints the page after its scripts ran. The report
itself has no script, so whatever the measuring script finds came from the report's text.
Without Chromium the tests skip with the reason; under ``CI=true`` they fail
(``tests/install-deps.sh`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

WIDTH, HEIGHT = 1400, 900
# As the machine's notes say to start it: no sandbox (root), no GPU, nothing fetched.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=10000",
)  # fmt: skip
INJECTED = (
    "script:not(#measure), img, iframe, frame, object, embed, svg, math, video, audio, form, "
    "input, button, textarea, link, style:not(:first-of-type), base, meta[http-equiv], "
    "[onerror], [onload], [onclick], [onmouseover], [onfocus], [data-hostile]"
)
MEASURE = """<script id="measure">(function () {
  function box(selector) {
    var e = document.querySelector(selector);
    if (!e) return null;
    var b = e.getBoundingClientRect();
    return {top: b.top + scrollY, bottom: b.bottom + scrollY, width: b.width, height: b.height,
            text: e.textContent.slice(0, 5000)};
  }
  var found = document.querySelectorAll(%s);
  var out = {viewport: [innerWidth, innerHeight], height: document.documentElement.scrollHeight,
             verdict: box('#verdict'), overview: box('#overview'), failure: box('.failure'),
             elements: document.getElementsByTagName('*').length,
             injected: Array.prototype.map.call(found, function (e) {
               return e.outerHTML.slice(0, 120);
             })};
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();</script>""".replace("%s", json.dumps(INJECTED))


def chromium() -> str:
    """The Chromium binary; skips the test without one (fails under ``CI=true``)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium is not installed (tests/install-deps.sh installs it with apt-get as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true", False)
    pytest.skip(reason)


def measure(report: Path) -> dict[str, Any]:
    """Where the report's parts are drawn at 1400 x 900, and what it holds that it should not."""
    html = report.read_text(encoding="utf-8")
    end = html.rfind("</body>")
    with tempfile.TemporaryDirectory(prefix="report-browser-") as folder:
        copy = Path(folder) / "measured.html"
        copy.write_text(html[:end] + MEASURE + html[end:], encoding="utf-8")
        profile = Path(folder) / "profile"
        done = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", copy.as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    match = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert match, f"chromium printed no measurement (exit {done.returncode}): {done.stderr[-2000:]}"
    text = match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    return dict(json.loads(text.replace("&amp;", "&")))


def on_first_screen(found: dict[str, Any], part: str) -> bool:
    """Whether ``part`` (verdict, overview, failure) is drawn, wholly, on the first screen: the
    top 900 px of a page laid out 1400 px wide (headless Chromium's own window may be lower,
    which changes nothing above: the report's layout depends on the width only)."""
    box = found[part]
    return bool(box) and box["height"] > 0 and box["top"] >= 0 and box["bottom"] <= HEIGHT
