"""Lighthouse on every page of the built site, against the site's thresholds.

``python tests/lighthouse/check.py [SITE] [--out DIR] [--pages PAGE ...]`` serves the built
site (``docs/_build/html``, or ``LSTM_STATES_SITE``) on 127.0.0.1 with gzip, as GitHub Pages
serves it; runs Lighthouse (``run.mjs``: the npm package pinned in package-lock.json,
installed with ``npm ci``; Chromium from ``CHROME_PATH``) on each page, mobile emulation;
writes ``summary.json`` and each page's report to ``docs/_build/lighthouse``; and fails,
printing page by page the audits that cost the points, where a page is below
:data:`THRESHOLDS`. A page below the performance thresholds is measured twice more and judged
on its median run (Lighthouse's own advice: one run varies by a few points).

The `lighthouse` Nox session runs it (``nox -s lighthouse``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# the docs tooling's server (its package imports only the standard library)
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from lstm_site import HOME_PAGE_BYTES, QuietHandler, built_site, serve

SITE = built_site(ROOT / "docs")

#: What every page must reach (Lighthouse's default mobile emulation).
THRESHOLDS = {
    "performance": 95,  # category scores, 0-100
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "largest-contentful-paint": 2500,  # ms
    "total-blocking-time": 200,  # ms
}
#: Bytes transferred (compressed) for the home page, everything it loads.
HOME_PAGE = "index.html"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)

#: What GitHub Pages compresses (by type); images and fonts go as they are.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ipynb", ".md", ".map"}


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, relative to its root (as tests/site finds them)."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(site).parts)
    )


class GzipHandler(QuietHandler):
    """Serves files as GitHub Pages does: text gzip-compressed, a 10-minute cache lifetime."""

    _compressed: dict[Path, bytes] = {}  # noqa: RUF012 (shared by the server's threads)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = self._compressed.get(path)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self._compressed[path] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """A compressed body, read once by SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def run_lighthouse(base_url: str, out: Path, pages: list[str]) -> None:
    """Lighthouse on ``pages``, one at a time, each report to ``out/<page>.json``."""
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed: Lighthouse runs on Node.js (20 or later)")
    if not (HERE / "node_modules" / "lighthouse").is_dir():
        sys.exit(f"Lighthouse is not installed: run `npm ci` in {HERE}")
    subprocess.run([node, str(HERE / "run.mjs"), base_url, str(out), *pages], check=True)


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """A page's scores, metrics, bytes and the audits that cost it points."""
    audits = report["audits"]
    categories = report["categories"]
    lost = {}
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.setdefault(name, []).append(
                    {
                        "id": ref["id"],
                        "weight": ref["weight"],
                        "score": audit["score"],
                        "title": audit["title"],
                        "display": audit.get("displayValue", ""),
                    }
                )
    # the opportunities and diagnostics that say where the time goes
    hints = [
        {"id": key, "title": audit["title"], "display": audit.get("displayValue", "")}
        for key, audit in audits.items()
        if audit.get("details", {}).get("type") == "opportunity"
        and (audit.get("numericValue") or 0) > 0
        and audit["score"] is not None
        and audit["score"] < 1
    ]
    return {
        "scores": {name: round(categories[name]["score"] * 100) for name in CATEGORIES},
        "metrics": {name: round(audits[name]["numericValue"], 3) for name in METRICS},
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "lost": lost,
        "hints": hints,
    }


def failures(page: str, summary: dict[str, Any]) -> list[str]:
    """Why ``page`` is below the thresholds (empty: it passes)."""
    found = []
    for name in CATEGORIES:
        if summary["scores"][name] < THRESHOLDS[name]:
            found.append(f"{name} {summary['scores'][name]} < {THRESHOLDS[name]}")
    for metric in ("largest-contentful-paint", "total-blocking-time"):
        if summary["metrics"][metric] > THRESHOLDS[metric]:
            found.append(f"{metric} {summary['metrics'][metric]:.0f} ms > {THRESHOLDS[metric]} ms")
    if page == HOME_PAGE and summary["bytes"] > HOME_PAGE_BYTES:
        found.append(f"{summary['bytes']} bytes transferred > {HOME_PAGE_BYTES}")
    return found


def _performance_fails(page: str, summary: dict[str, Any]) -> bool:
    return any(
        reason.split()[0] in {"performance", "largest-contentful-paint", "total-blocking-time"}
        for reason in failures(page, summary)
    )


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda run: run["scores"]["performance"])[len(runs) // 2]


def _print_failure(page: str, summary: dict[str, Any], reasons: list[str]) -> None:
    print(f"\n{page}: {'; '.join(reasons)}")
    metrics = summary["metrics"]
    print(
        f"  FCP {metrics['first-contentful-paint']:.0f} ms, "
        f"LCP {metrics['largest-contentful-paint']:.0f} ms, "
        f"TBT {metrics['total-blocking-time']:.0f} ms, "
        f"CLS {metrics['cumulative-layout-shift']:.3f}, {summary['bytes'] / 1000:.0f} kB"
    )
    for category, audits in summary["lost"].items():
        for audit in sorted(audits, key=lambda a: -a["weight"] * (1 - a["score"])):
            shown = f" ({audit['display']})" if audit["display"] else ""
            print(f"  {category}: {audit['id']} {audit['score']:.2f}: {audit['title']}{shown}")
    for hint in summary["hints"]:
        print(f"  opportunity: {hint['id']}: {hint['title']} ({hint['display']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=SITE)
    parser.add_argument("--out", type=Path, default=None, help="default: beside the site")
    parser.add_argument("--pages", nargs="+", help="these pages only (paths in the site)")
    parser.add_argument("--runs", type=int, default=3, help="runs of a page below the bar")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / HOME_PAGE).exists():
        sys.exit(f"no built site in {site}: build it first (`nox -s docs`)")
    out = (args.out or site.parent / "lighthouse").resolve()
    shutil.rmtree(out / "reports", ignore_errors=True)
    pages = args.pages or site_pages(site)
    started = time.monotonic()
    load_before = os.getloadavg()  # a busy machine slows the page's scripts: TBT, LCP
    runs: dict[str, list[dict[str, Any]]] = {page: [] for page in pages}
    with serve(site, GzipHandler) as base_url:
        todo, attempt = pages, 0
        while todo:
            reports = out / "reports" / f"run-{attempt + 1}"
            run_lighthouse(base_url, reports, todo)
            for page in todo:
                report = json.loads((reports / f"{page}.json").read_text(encoding="utf-8"))
                runs[page].append(summarise(report))
            attempt += 1
            # a page below the performance bar is judged on the median of `--runs` runs
            todo = [
                page
                for page in todo
                if attempt < args.runs and _performance_fails(page, _median(runs[page]))
            ]
            if todo:
                print(f"measuring again (run {attempt + 1} of {args.runs}): {', '.join(todo)}")
    results = {
        page: _median(page_runs) | {"runs": len(page_runs)} for page, page_runs in runs.items()
    }
    failed = {page: reasons for page in pages if (reasons := failures(page, results[page]))}
    seconds = time.monotonic() - started
    summary = {
        "lighthouse": _lighthouse_version(),
        "thresholds": THRESHOLDS | {"home page bytes": HOME_PAGE_BYTES},
        "seconds": round(seconds, 1),
        "load average": {"before": _rounded(load_before), "after": _rounded(os.getloadavg())},
        "pages": results,
        "failed": failed,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'page':<48} perf a11y  bp seo   LCP ms  TBT ms   kB")
    for page, result in results.items():
        scores, metrics = result["scores"], result["metrics"]
        print(
            f"{page:<48} {scores['performance']:>4} {scores['accessibility']:>4} "
            f"{scores['best-practices']:>3} {scores['seo']:>3} "
            f"{metrics['largest-contentful-paint']:>8.0f} {metrics['total-blocking-time']:>7.0f} "
            f"{result['bytes'] / 1000:>4.0f}"
        )
    for page, reasons in failed.items():
        _print_failure(page, results[page], reasons)
    print(f"\n{len(pages)} pages in {seconds:.0f} s; summary in {out / 'summary.json'}")
    print(
        "load average (1, 5, 15 min) before "
        + ", ".join(map(str, summary["load average"]["before"]))
        + "; after "
        + ", ".join(map(str, summary["load average"]["after"]))
        + " (on a busy machine scripts run slower: TBT and LCP grow)"
    )
    if failed:
        print(f"{len(failed)} of {len(pages)} pages below the thresholds")
        return 1
    return 0


def _rounded(load: tuple[float, float, float]) -> list[float]:
    return [round(value, 2) for value in load]


def _lighthouse_version() -> str:
    package = HERE / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


if __name__ == "__main__":
    sys.exit(main())
