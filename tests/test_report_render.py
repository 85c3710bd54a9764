"""The HTML report rendered for real by headless Chromium (Debian's chromium), to a screenshot
that must show the page: many colours, not a blank or an error page."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

from w2veval.report import build_report

TIMEOUT = 180


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed (`make system-packages` installs it: .ci/system-packages)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _screenshot(html_path, png_path, profile, width=1200, height=2000) -> subprocess.CompletedProcess:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        # Nothing may be fetched: any host name resolves to nothing.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        f"--screenshot={png_path}",
        f"--window-size={width},{height}",
        f"file://{html_path}",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def rendered_pixels(report, tmp_path, height: int) -> np.ndarray:
    """``report`` written as HTML under ``tmp_path`` and shot by headless Chromium: its pixels."""
    import matplotlib.image

    page = tmp_path / "report.html"
    report.write(page)
    shot = tmp_path / "shot.png"
    done = _screenshot(page, shot, tmp_path / "profile", height=height)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    return matplotlib.image.imread(shot)


def _colours(pixels: np.ndarray) -> int:
    rgb = (pixels[..., :3] * 255).round().astype(np.uint8).reshape(-1, 3)
    return len(np.unique(rgb.view(np.dtype((np.void, 3)))))


def test_report_renders_in_headless_chromium(tmp_path, w2v_model, cbow_model):
    import matplotlib.image

    paths = []
    for name, model in (("sg", w2v_model), ("cbow", cbow_model)):
        paths.append(tmp_path / f"{name}.txt")
        model.wv.save_word2vec_format(paths[-1])
    results = tmp_path / "results.csv"
    results.write_text(
        "trial,state,objective,heldout_objective,window_size,learning_rate,mode,seconds\n"
        "0,COMPLETE,0.21,0.19,5,0.01,cbow,3.5\n1,COMPLETE,0.34,0.27,8,0.05,skipgram,4.1\n"
        "2,COMPLETE,0.12,0.15,3,0.02,cbow,2.9\n3,FAIL,,,4,0.03,skipgram,\n",
        encoding="utf-8",
    )
    report = build_report([*paths, results], ["ws353"], n_resamples=300, k=5)
    page = tmp_path / "report.html"
    report.write(page)
    shot = tmp_path / "shot.png"
    done = _screenshot(page, shot, tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists(), done.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (2000, 1200)
    assert _colours(pixels) > 500  # text, tables and the inline figures' colours
    assert pixels[..., :3].std() > 0.1
    # The dark header band is at the top, and the figures below it are drawn (blue points).
    assert pixels[:40, :, :3].mean() < 0.3
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.35) & (pixels[..., 1] > 0.35)
    assert blue.sum() > 500
    # Kept for a person to look at when the test is run by hand.
    if os.environ.get("W2VEVAL_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["W2VEVAL_KEEP_SCREENSHOT"])
