"""The few WebDriver calls the benchmark needs, spoken to tauri-driver over loopback HTTP.

tauri-driver starts WebKitWebDriver, which starts the binary named in the session's
capabilities; scripts then run inside that binary's webview, where Tauri's `invoke` lives.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriverError(RuntimeError):
    pass


class Session:
    """One window of `binary` under tauri-driver; stops both on exit. What the driver and the
    app print goes to the file `log`."""

    def __init__(self, binary, env, log):
        self.binary = binary
        self.env = env
        self.log = log
        self.port = free_port()

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as log:
            self.driver = subprocess.Popen(
                ["tauri-driver", "--port", str(self.port), "--native-port", str(free_port())],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        capabilities = {"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": str(self.binary)}}}}
        deadline = time.monotonic() + 30
        while True:
            try:
                self.id = self._call("POST", "/session", capabilities)["sessionId"]
                break
            except (OSError, WebDriverError):
                if time.monotonic() > deadline:
                    self._stop_driver()
                    raise
                time.sleep(0.25)
        self._call("POST", f"/session/{self.id}/timeouts", {"script": 300_000})
        return self

    def __exit__(self, *_):
        try:
            self._call("DELETE", f"/session/{self.id}")
        except (OSError, WebDriverError):
            pass
        self._stop_driver()

    def _stop_driver(self):
        # SIGTERM, never SIGKILL: tauri-driver stops WebKitWebDriver (and the app) on the way out.
        try:
            os.killpg(self.driver.pid, signal.SIGTERM)
            self.driver.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.driver.pid, signal.SIGKILL)
            self.driver.wait()

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        # tauri-driver now and then forwards a request on a connection WebKitWebDriver has
        # just closed and drops ours without an answer; the request never reached the window,
        # so it is sent again.
        for attempt in range(3):
            try:
                with urllib.request.urlopen(request, timeout=330) as answer:
                    return json.load(answer).get("value")
            except urllib.error.HTTPError as e:
                raise WebDriverError(e.read().decode(errors="replace")) from e
            except http.client.RemoteDisconnected:
                if attempt == 2:
                    raise
                time.sleep(0.2)

    def run(self, script, *args):
        """Runs `script` in the window (`return` gives the result)."""
        return self._call("POST", f"/session/{self.id}/execute/sync",
                          {"script": script, "args": list(args)})

    def run_async(self, script, *args):
        """Runs `script`, which calls its last argument with the result."""
        return self._call("POST", f"/session/{self.id}/execute/async",
                          {"script": script, "args": list(args)})

    def wait_until(self, script, what, seconds=30):
        deadline = time.monotonic() + seconds
        while not self._true(script):
            if time.monotonic() > deadline:
                raise RuntimeError(f"never happened: {what}")
            time.sleep(0.1)

    def _true(self, script):
        try:
            return self.run(script) is True
        except WebDriverError:
            return False
