"""A small driver for headless Chromium over the Chrome DevTools Protocol, with no dependency
beyond Python 3: the browser is started with `--remote-debugging-pipe`, so the protocol runs over
two pipes (the browser reads commands from its fd 3 and writes replies and events to its fd 4,
each message one JSON text ended by a NUL byte), with no port, websocket or npm package.

    with Browser() as browser:
        page = browser.open_page()
        page.load("/abs/path/report.html")       # waits for the load event
        page.evaluate("document.title")
        page.console_errors, page.requests        # what the page did since it was opened
        page.screenshot("shot.png")

The browser is killed (its whole process group: the browser's zygote, GPU and renderer children
too) on every way out: the `with` block's end, an exception, a timeout, SIGTERM (as CTest sends
on its timeout) and interpreter exit. Not a test itself."""
import atexit
import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "no chromium found on PATH: run make deps (it installs Debian's chromium)"


class BrowserError(Exception):
    """The browser did not start, died, timed out or answered a command with an error."""


def find_browser():
    """The path of a Chromium executable ($FULCRUM_CHROMIUM first), or None."""
    named = os.environ.get("FULCRUM_CHROMIUM")
    if named:
        return shutil.which(named)
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


# Every browser started and not yet killed, so that SIGTERM and interpreter exit kill them too.
_live = set()


def _kill_live():
    for browser in list(_live):
        browser.close()


atexit.register(_kill_live)


def _on_sigterm(signum, frame):
    _kill_live()
    raise SystemExit(128 + signum)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _on_sigterm)


class Browser:
    """One headless Chromium, its own temporary profile, driven over the pipe."""

    def __init__(self, executable=None, timeout=30.0, width=1280, height=900):
        self.executable = executable or find_browser()
        if not self.executable:
            raise BrowserError(INSTALL_HINT)
        self.timeout = timeout
        self.width, self.height = width, height
        self.process = None
        self.profile = tempfile.mkdtemp(prefix="fulcrum-chromium-")
        self.log = tempfile.TemporaryFile()  # the browser's stderr, quoted when it fails
        self._next_id = 0
        self._messages = queue.Queue()
        self._pending = {}  # replies that arrived while waiting for another
        self._listeners = []  # (session id, callback) for events
        self._start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self):
        args = [self.executable, "--headless=new", "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}", "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-breakpad", "--disable-dev-shm-usage", "--mute-audio",
                "--hide-scrollbars", f"--window-size={self.width},{self.height}",
                # No name resolves: even a page that asks for the network cannot reach it (the
                # request is still seen and counted by the test).
                "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def wire_pipes():  # in the child, before exec: the browser's fds 3 and 4
            # Moved above 10 first, so that placing one on 3 or 4 cannot close the other.
            read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        try:
            # close_fds=False keeps the dup2'ed 3 and 4; every other fd Python opened is
            # close-on-exec already. A session of its own: killing the group kills every child.
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=self.log,
                                            close_fds=False, preexec_fn=wire_pipes,
                                            start_new_session=True)
        except OSError as e:
            for fd in (to_browser_r, to_browser_w, from_browser_r, from_browser_w):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise BrowserError(f"cannot start {self.executable}: {e}") from e
        _live.add(self)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._out = os.fdopen(to_browser_w, "wb", buffering=0)
        self._in = os.fdopen(from_browser_r, "rb", buffering=0)
        threading.Thread(target=self._read_messages, daemon=True).start()
        try:
            self.send("Browser.getVersion")
        except BrowserError:
            self.close()
            raise

    def _read_messages(self):
        buffer = b""
        while True:
            try:
                chunk = self._in.read(1 << 16)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                self._messages.put(None)  # the browser closed its end: it has exited
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))

    def stderr_tail(self, limit=2000):
        try:
            self.log.seek(0)
            return self.log.read().decode("utf-8", "replace")[-limit:]
        except (OSError, ValueError):
            return ""

    def send(self, method, params=None, session=None, timeout=None):
        """Sends one command and returns its result, dispatching events while waiting;
        BrowserError on an error reply, the browser's exit or the timeout."""
        if self.process is None:
            raise BrowserError("the browser is closed")
        self._next_id += 1
        ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            self._out.write(json.dumps(message).encode() + b"\0")
        except (BrokenPipeError, OSError) as e:
            raise BrowserError(f"{method}: the browser has gone ({e}): {self.stderr_tail()}")
        reply = self._wait(lambda: self._pending.pop(ident, None), timeout, method)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')} "
                               f"{reply['error'].get('data', '')}".rstrip())
        return reply.get("result", {})

    def _wait(self, ready, timeout, what):
        """Dispatches messages until ready() returns something, which it returns."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            found = ready()
            if found is not None:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                waited = self.timeout if timeout is None else timeout
                raise BrowserError(f"{what}: no answer within {waited:g} s")
            try:
                message = self._messages.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                self._messages.put(None)  # every later wait sees the exit too
                raise BrowserError(f"{what}: the browser exited: {self.stderr_tail()}")
            if "id" in message:
                self._pending[message["id"]] = message
            else:
                for session, callback in list(self._listeners):
                    if message.get("sessionId") == session:
                        callback(message["method"], message.get("params", {}))

    def pump(self, seconds):
        """Dispatches events for `seconds` (late console messages or requests)."""
        try:
            self._wait(lambda: None, seconds, "pump")
        except BrowserError as e:
            if "no answer within" not in str(e):
                raise

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session)

    def close(self):
        """Kills the browser and every process it started; removes its profile. Idempotent."""
        _live.discard(self)
        process, self.process = self.process, None
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            # The browser's children die with it; wait (briefly) until none of the group is left.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.killpg(process.pid, 0)
                except (ProcessLookupError, PermissionError):
                    break
                time.sleep(0.05)
            for stream in (getattr(self, "_out", None), getattr(self, "_in", None)):
                try:
                    stream and stream.close()
                except OSError:
                    pass
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab: what it logged as an error and every request it made, since it was opened."""

    def __init__(self, browser, session):
        self.browser, self.session = browser, session
        self.console_errors = []  # texts: console.error, uncaught exceptions, error log entries
        self.requests = []  # every URL the page requested (its own file included)
        self.loaded = False
        browser._listeners.append((session, self._event))
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def send(self, method, params=None, timeout=None):
        return self.browser.send(method, params, self.session, timeout)

    def close(self):
        """Closes the tab (its renderer's memory goes back before the next page opens)."""
        self.browser._listeners = [(s, c) for s, c in self.browser._listeners if s != self.session]
        target = self.browser.send("Target.getTargetInfo", {}, self.session)["targetInfo"]
        self.browser.send("Target.closeTarget", {"targetId": target["targetId"]})

    def _event(self, method, params):
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(arg.get("value", arg.get("description", ""))) for arg in params["args"]]
            self.console_errors.append("console.error: " + " ".join(texts))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            line = details.get("lineNumber", 0) + 1
            self.console_errors.append(f"uncaught exception at line {line}: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            self.console_errors.append(f"log error ({entry.get('source')}): {entry.get('text')}"
                                       + (f" [{entry['url']}]" if entry.get("url") else ""))
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Page.loadEventFired":
            self.loaded = True

    def load(self, path, timeout=60.0):
        """Navigates to the file at `path` and waits for its load event; returns the seconds from
        the navigation to the load event."""
        url = "file://" + os.path.abspath(path)
        self.loaded = False
        start = time.monotonic()
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        self.browser._wait(lambda: True if self.loaded else None, timeout, f"loading {url}")
        self.url = url
        return time.monotonic() - start

    def evaluate(self, expression, timeout=None):
        """The value of a JavaScript expression (awaited when a promise), as JSON gives it back;
        BrowserError when it throws."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"evaluating {expression[:80]!r}: {text}")
        return result["result"].get("value")

    def press(self, key="Enter"):
        """Presses and releases a key on the focused element, as a keyboard does (Enter or
        Space, which activate a focused button, or Tab)."""
        codes = {"Enter": (13, "\r"), " ": (32, " "), "Tab": (9, "")}
        code, text = codes[key]
        down = {"type": "keyDown", "key": key, "code": "Space" if key == " " else key,
                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        if text:
            down["text"] = down["unmodifiedText"] = text
        self.send("Input.dispatchKeyEvent", down)
        self.send("Input.dispatchKeyEvent", dict(down, type="keyUp", text="", unmodifiedText=""))

    def screenshot(self, path, max_height=6000):
        """Writes a PNG of the whole page (as tall as its content, up to max_height CSS pixels) at
        the browser's width."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = min(max_height, max(1, int(size["height"] + 0.999)))
        width = self.browser.width
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        try:
            shot = self.send("Page.captureScreenshot",
                             {"format": "png", "captureBeyondViewport": True, "fromSurface": True,
                              "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                       "scale": 1}})
        finally:
            if self.browser.process is not None:  # not when a SIGTERM closed it meanwhile
                self.send("Emulation.clearDeviceMetricsOverride")
        data = base64.b64decode(shot["data"])
        with open(path, "wb") as f:
            f.write(data)
        return len(data)
