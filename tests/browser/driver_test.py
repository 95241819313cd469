#!/usr/bin/env python3
"""The browser driver (cdp.py) sees what the report test relies on it to see: small pages written
here, each loaded in headless Chromium, must give exactly the console errors and requests they
cause. A driver that lost events would let a broken report pass: this test fails then.

Checks: a clean page has no error and requests only its own file; console.error, an uncaught
exception, an unhandled rejection, a failed image (an error log entry) are each reported; fetch,
an image, a stylesheet and a script from http:// are each seen as requests; a data: image is
not a failure; evaluate returns values and awaits promises, and a throwing expression raises;
Enter and Space pressed on a focused button click it;
a screenshot is a PNG of the page's size; after the browser is closed none of its processes is
left. Missing Chromium fails ("run make deps")."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

PAGES = {  # name: (body, console errors expected (substrings), other URLs requested)
    "clean": ("<p>fine</p><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
              "<script>console.log('log is fine'); console.warn('so is warn')</script>", [], []),
    "console_error": ("<script>console.error('broken', 42)</script>", ["broken 42"], []),
    "exception": ("<script>undefinedFunction()</script>", ["undefinedFunction"], []),
    "rejection": ("<script>Promise.reject(new Error('nobody caught me'))</script>",
                  ["nobody caught me"], []),
    "fetch": ("<script>fetch('http://example.com/data.json').catch(() => {})</script>",
              ["example.com"], ["http://example.com/data.json"]),
    "image": ("<img src='http://example.com/logo.png'>", ["example.com"],
              ["http://example.com/logo.png"]),
    "stylesheet": ("<link rel=stylesheet href='https://fonts.example.com/font.css'>",
                   ["fonts.example.com"], ["https://fonts.example.com/font.css"]),
    "script": ("<script src='http://cdn.example.com/chart.js'></script>", ["cdn.example.com"],
               ["http://cdn.example.com/chart.js"]),
}


def main():
    failures = []
    if not cdp.find_browser():
        print(f"FAIL: {cdp.INSTALL_HINT}")
        sys.exit(1)
    with tempfile.TemporaryDirectory() as folder:
        browser = cdp.Browser()
        pid = browser.process.pid
        try:
            for name, (body, errors, requests) in PAGES.items():
                path = os.path.join(folder, f"{name}.html")
                with open(path, "w") as f:
                    f.write(f"<!doctype html><html><head><meta charset=utf-8></head>"
                            f"<body>{body}</body></html>")
                page = browser.open_page()
                page.load(path)
                browser.pump(0.5)
                others = [u for u in page.requests if u != page.url and not u.startswith("data:")]
                if page.url not in page.requests:
                    failures.append(f"{name}: its own file's request not seen: {page.requests}")
                if others != requests:
                    failures.append(f"{name}: requests {others}, expected {requests}")
                for error in errors:
                    if not any(error in seen for seen in page.console_errors):
                        failures.append(f"{name}: no error with {error!r} in {page.console_errors}")
                if not errors and page.console_errors:
                    failures.append(f"{name}: unexpected errors {page.console_errors}")
            page = browser.open_page()
            page.load(os.path.join(folder, "clean.html"))
            if page.evaluate("[1 + 1, document.querySelector('p').textContent]") != [2, "fine"]:
                failures.append("evaluate: wrong value")
            if page.evaluate("new Promise(done => setTimeout(() => done('later'), 20))") != "later":
                failures.append("evaluate: a promise is not awaited")
            try:
                page.evaluate("null.property")
                failures.append("evaluate: a throwing expression did not raise")
            except cdp.BrowserError as e:
                if "TypeError" not in str(e):
                    failures.append(f"evaluate: the error does not say what was thrown: {e}")
            page.evaluate("document.body.insertAdjacentHTML('beforeend', '<button id=b "
                          "onclick=\"this.dataset.clicks = (+this.dataset.clicks || 0) + 1\">"
                          "sort</button>'); document.getElementById('b').focus()")
            page.press("Enter")
            page.press(" ")
            if page.evaluate("document.getElementById('b').dataset.clicks") != "2":
                failures.append("press: Enter and Space on a focused button do not click it")
            shot = os.path.join(folder, "shot.png")
            page.screenshot(shot)
            with open(shot, "rb") as f:
                data = f.read()
            width = int.from_bytes(data[16:20], "big")
            if data[:8] != b"\x89PNG\r\n\x1a\n" or width != browser.width:
                failures.append(f"screenshot: not a PNG {browser.width} pixels wide")
        finally:
            browser.close()
        try:
            os.killpg(pid, 0)
            failures.append(f"processes of the browser's group {pid} are left after close()")
        except ProcessLookupError:
            pass
    if failures:
        print("\n".join(failures))
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print(f"ok: {len(PAGES)} pages, every error and request seen; evaluate, screenshot, close")


if __name__ == "__main__":
    main()
