"""HTML report: self-contained, everything escaped, and readable in a real browser.

The browser test renders the report in Debian's headless Chromium (installed by
scripts/servers/install-chromium.sh, which `make test` runs): a screenshot that is not
blank, and the rendered DOM with the key numbers present as visible text. A missing
chromium is a failure, not a skip: a green run must mean the report was rendered.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import re
import shutil
import struct
import subprocess
import zlib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spillguard import reporting
from spillguard.models import ScanResult, TargetResult
from spillguard.reporting.html import HtmlReporter
from tests.reporting.test_reporters import make_result

EVIL = "<script>alert(1)</script>"
EVIL_ATTR = '"><img src=x onerror=alert(2)>'
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer", "section",
    "h1", "h2", "h3", "div", "p", "span", "b", "a", "ul", "ol", "li", "br", "code", "sup", "details", "summary", "table", "thead", "tbody",
    "tr", "th", "td", "svg", "g", "rect", "text", "path", "line",
}  # fmt: skip


def hostile_result() -> ScanResult:
    """make_result() with markup in every free-text place a store can reach."""
    r = make_result()
    r.findings[0] = dataclasses.replace(r.findings[0], field=EVIL, evidence=(EVIL_ATTR,))
    r.findings[1] = dataclasses.replace(r.findings[1], container=EVIL_ATTR, samples=("<b>1***</b>",))
    r.exposure[0] = dataclasses.replace(r.exposure[0], detail=EVIL, fix=EVIL_ATTR)
    r.traces[0] = dataclasses.replace(r.traces[0], key_field=EVIL, place_fields=(EVIL_ATTR,), container=EVIL)
    r.risk[0] = dataclasses.replace(r.risk[0], reasons=(EVIL,), sensitivity=(EVIL_ATTR,),
                                    reidentification={"quasi_identifiers": [EVIL], "k_min": 1, "method": EVIL_ATTR})  # fmt: skip
    r.people[0] = dataclasses.replace(r.people[0], method=EVIL)
    r.coverage[0] = dataclasses.replace(r.coverage[0], reason=EVIL)
    r.targets.append(TargetResult(f"http://es.internal:9200/{EVIL}", "elasticsearch"))
    return r


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def test_registered_for_html_outputs():
    assert isinstance(reporting.get("html"), HtmlReporter)
    assert (HtmlReporter.id, HtmlReporter.extension) == ("html", "html")


def test_self_contained_no_script_no_remote_resources():
    html = HtmlReporter().render(hostile_result())
    parsed = _parse(html)
    assert {t for t, _ in parsed.tags} <= ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "src" not in attrs and "srcset" not in attrs
        if tag == "a":
            assert (attrs.get("href") or "").startswith("#"), attrs  # in-page links only
        assert not any("://" in (v or "") for v in attrs.values()), (tag, attrs)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    # a URL may appear only as text (the target as given), never as markup
    assert "http://es.internal:9200/" in "".join(parsed.text)


def test_everything_is_escaped():
    html = HtmlReporter().render(hostile_result())
    assert EVIL not in html and "<img" not in html and "<b>1***</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(_parse(html).text)
    for s in (EVIL, EVIL_ATTR, "<b>1***</b>"):
        assert s in text  # shown as text, exactly


def test_content_sections_and_numbers():
    r = make_result()
    html = HtmlReporter().render(r)
    for anchor in ("summary", "risk", "exposure", "people", "traces", "biometrics", "findings", "coverage"):
        assert f'<section id="{anchor}">' in html
    assert html.count("<svg") >= 5  # charts and gauges are inline SVG
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "512" in text and "IDs reveal sex and age of 482 people; 37 are under 14" in text
    assert "Enable security.authorization." in text and "k = 1" in text and "91% unique" in text
    for f in r.findings:
        assert all(s in text for s in f.samples)
    cov = re.search(r'<section id="coverage">.*?</section>', html, re.S).group(0)
    assert cov.index("parse_error") < cov.index("limit:max_bytes") < cov.index(">complete<")


def test_deterministic_and_input_order_free():
    a = make_result()
    b = make_result()
    for items in (b.findings, b.coverage, b.exposure, b.traces, b.people, b.risk):
        items.reverse()
    assert HtmlReporter().render(a) == HtmlReporter().render(b)


def test_empty_result_renders():
    html = HtmlReporter().render(ScanResult("0.0.0-test", "a", "b", [], [], []))
    assert "No personal data found" in html and "<svg" in html  # severity chart, all zero


# --- the real browser -----------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
]  # fmt: skip
PROBE = """<script>
(function () {
  function shown(el) {
    var s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.display !== "none" && s.visibility !== "hidden" && +s.opacity > 0 && r.width > 0 && r.height > 0;
  }
  var kpis = {};
  document.querySelectorAll("[data-kpi]").forEach(function (el) {
    kpis[el.getAttribute("data-kpi")] = {text: el.innerText, shown: shown(el)};
  });
  document.documentElement.setAttribute("data-probe",
    JSON.stringify({kpis: kpis, body: document.body.innerText}));
})();
</script>"""


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium not installed: run scripts/servers/install-chromium.sh (make test does)")
    return exe


def _run(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def _png_stats(path: Path) -> tuple[int, int, float, int]:
    """Width, height, share of decoded bytes that differ from the commonest byte, and the
    number of distinct byte values: a blank page is one colour, so both are tiny."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, size = 8, [], (0, 0)
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat.append(body)
    raw = zlib.decompress(b"".join(idat))
    counts = collections.Counter(raw)
    return size[0], size[1], 1 - counts.most_common(1)[0][1] / len(raw), len(counts)


@pytest.mark.timeout(120)
def test_renders_in_headless_chromium(tmp_path):
    exe = _chromium()
    page = tmp_path / "report.html"
    page.write_text(HtmlReporter().render(hostile_result()), encoding="utf-8")
    png = tmp_path / "report.png"
    proc = _run(exe, tmp_path / "profile-shot", f"--screenshot={png}", page.as_uri())
    assert png.exists(), f"no screenshot (exit {proc.returncode})"
    width, height, varied, distinct = _png_stats(png)
    assert (width, height) == (1280, 2000)
    assert varied > 0.005 and distinct > 64, "the screenshot looks blank"

    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = _run(exe, tmp_path / "profile-dom", "--dump-dom", probe.as_uri())
    match = re.search(r'data-probe="([^"]*)"', proc.stdout)
    assert match, f"no rendered DOM (exit {proc.returncode})"
    seen = json.loads(unescape(match.group(1)))
    kpis = seen["kpis"]
    assert all(k["shown"] for k in kpis.values()), kpis
    assert "512" in kpis["people"]["text"]  # people exposed (scan-wide estimate)
    assert re.search(r"\b1\b", kpis["exposed-checks"]["text"])  # one check open to anyone
    assert "critical" in kpis["worst-severity"]["text"].lower()
    body = seen["body"]
    assert "IDs reveal sex and age of 482 people" in body
    assert EVIL in body and EVIL_ATTR in body  # hostile names render as visible text


@pytest.mark.parametrize("text, n, keep_end, want", [
    ("abc", 4, False, "abc"),
    ("abcdef", 4, False, "abc…"),
    ("sqlite:///x.db > access_log", 12, True, "… access_log"),
    ("住户登记.csv", 7, True, "…记.csv"),  # CJK characters take two columns
])  # fmt: skip
def test_svg_clip(text, n, keep_end, want):
    from spillguard.reporting._svg import clip

    assert clip(text, n, keep_end) == want
