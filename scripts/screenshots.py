"""Take the README screenshots: start, cluster, idea and marketplace pages at 1280 and 390 px.

Run from anywhere with the project's virtualenv:

    .venv/bin/python scripts/screenshots.py

What it does:

1. builds a small, reproducible demo in a temporary SQLite database (``DATABASE_URL`` is set for the
   child processes only; ``db.sqlite3`` is never touched): ``manage.py migrate`` and
   ``manage.py seed_demo --clusters 2 --organisations 80 --seed 11``;
2. starts ``manage.py runserver`` on a free loopback port against that database and waits until it
   answers; it is always stopped at the end, and the temporary database is removed;
3. drives Debian's ``/usr/bin/chromium`` through Playwright (no browser is ever downloaded), logs in
   through the login form as the demo cluster manager and finds the pages by following links: the
   start page (``/``), the first cluster listed on ``/clusters/``, the first idea of the first call
   on ``/calls/`` that has ideas, and the marketplace (``/marketplace/``);
4. writes German full-page PNGs ``docs/screenshots/<page>-<width>.png`` for widths 1280 and 390 at
   device scale factor 1, cut at 2,400 px height (less if a file would exceed 600 KB).

It takes 40–50 seconds. The README's "Screenshots" section shows the 1280 px images.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EMAIL = "manager@openregion.example"
PASSWORD = "openregion-demo"
WIDTHS = (1280, 390)
HEIGHTS = {1280: 800, 390: 844}
MAX_HEIGHT = 2400
MAX_BYTES = 600 * 1024


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(server, url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers, whatever the status
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"runserver did not answer at {url} within {timeout} s")


def hrefs(page, pattern):
    """Distinct same-site link paths on the page matching ``pattern``, in document order."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        path = href.split("?")[0].split("#")[0]
        if re.fullmatch(pattern, path) and path not in found:
            found.append(path)
    return found


def goto(page, base, path):
    response = page.goto(base + path, wait_until="networkidle")
    if response is None or response.status != 200:
        raise SystemExit(f"{path} answered {response and response.status}")
    if "/accounts/login/" in page.url and not path.startswith("/accounts/login/"):
        raise SystemExit(f"{path} redirected to the login page")


def find_pages(page, base):
    """The paths to capture, found by following links as a user would."""
    goto(page, base, "/clusters/")
    clusters = hrefs(page, r"/clusters/(?!new/)[\w-]+/")
    if not clusters:
        raise SystemExit("no cluster linked from /clusters/")
    goto(page, base, "/calls/")
    idea = None
    for call in hrefs(page, r"/calls/(?!new/|ideas/|comments/)[\w-]+/"):
        goto(page, base, call)
        lists = hrefs(page, re.escape(call) + r"ideas/") or [call + "ideas/"]
        goto(page, base, lists[0])
        ideas = hrefs(page, r"/calls/ideas/\d+/")
        if ideas:
            idea = ideas[0]
            break
    if idea is None:
        raise SystemExit("no idea found by following the calls on /calls/")
    return {"start": "/", "cluster": clusters[0], "idea": idea, "marketplace": "/marketplace/"}


def capture(page, target):
    """Full-page PNG cut at MAX_HEIGHT, cut further while the file is larger than MAX_BYTES."""
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    while True:
        clip = {"x": 0, "y": 0, "width": width, "height": height}
        page.screenshot(path=str(target), full_page=True, clip=clip)
        size = target.stat().st_size
        if size <= MAX_BYTES or height <= 800:
            return height, size
        height = int(height * 0.8)


def login(page, base):
    goto(page, base, "/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        raise SystemExit("login as the demo manager failed")


def shoot(base):
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit("Debian chromium is missing: run ./scripts/setup.sh")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            paths = None
            for width in WIDTHS:
                context = browser.new_context(
                    locale="de-DE",
                    viewport={"width": width, "height": HEIGHTS[width]},
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.set_default_timeout(30000)
                login(page, base)
                if paths is None:
                    paths = find_pages(page, base)
                for name, path in paths.items():
                    goto(page, base, path)
                    target = OUT / f"{name}-{width}.png"
                    height, size = capture(page, target)
                    print(
                        f"{target.relative_to(ROOT)}  {path}  {width}x{height}  {size // 1024} KB"
                    )
                context.close()
        finally:
            browser.close()


def main():
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="openregion-screens-")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite3", PYTHONUNBUFFERED="1")
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--clusters", "2", "--organisations", "80", "--seed", "11")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(server, base + "/accounts/login/")
        shoot(base)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
