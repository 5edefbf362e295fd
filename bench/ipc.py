"""What a VPWS call costs the app beyond the gateway: each command timed inside the webview
(invoke → IPC → Rust → gateway → back) beside the same HTTP request sent directly to the same
gateway on one kept-alive connection, and beside a bare window's no-op command. Also counts the
token requests the app makes per token lifetime.

WebKit's `performance.now()` is coarse, so calls are timed in batches and each batch gives a
mean per call; the figure is the median of the batch means (p50).
"""

import http.client
import json
import statistics
import subprocess
import time
from dataclasses import dataclass

from webdriver import Session

BATCHES = 60
PER_BATCH = 20
CURRENCY = "TRY"
BIN = "415565"
AMOUNT = "1500.00"
SETTLE_SECONDS = 5

TIMED_INVOKES = """
const [command, args, batches, perBatch] = arguments;
const done = arguments[arguments.length - 1];
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  for (let i = 0; i < perBatch; i++) await invoke(command, args);
  const means = [];
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let i = 0; i < perBatch; i++) await invoke(command, args);
    means.push((performance.now() - started) / perBatch);
  }
  done({ means });
})().catch((e) => done({ error: JSON.stringify(e) }));
"""

ONE_INVOKE = """
const [command, args] = arguments;
const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__.invoke(command, args)
  .then((value) => done({ value }), (e) => done({ error: JSON.stringify(e) }));
"""


class Gateway:
    """The standalone demo gateway (`vpws-sim`), which the app is pointed at, and a direct
    keep-alive HTTP client of it."""

    def __init__(self, binary):
        self.binary = binary

    def __enter__(self):
        self.proc = subprocess.Popen([str(self.binary), "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = ""
        while not line.startswith("VPWS demo gateway on "):
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the demo gateway did not start")
        self.url = line.strip().rsplit(" ", 1)[-1]
        host, port = self.url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port))
        data = json.loads(subprocess.run([str(self.binary), "--demo-data"], capture_output=True,
                                         check=True, text=True).stdout)
        self.data = data
        dealer = data["dealers"][0]
        token = self.call("POST", "/auth/api/token/connect",
                          {"apiKey": dealer["apiKey"], "secretKey": dealer["secretKey"]})
        self.headers = {"Authorization": f"Bearer {token['token']}"}
        return self

    def __exit__(self, *_):
        self.connection.close()
        self.proc.terminate()
        self.proc.wait()

    def call(self, method, path, body=None):
        headers = dict(getattr(self, "headers", {}))
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=payload, headers=headers)
        answer = self.connection.getresponse()
        text = answer.read()
        if answer.status >= 400:
            raise RuntimeError(f"{method} {path}: {answer.status} {text[:200]!r}")
        return json.loads(text) if text else None

    def timed(self, path):
        """Batch means (ms per call) of GET `path` on the kept-alive connection."""
        for _ in range(PER_BATCH):
            self.call("GET", path)
        means = []
        for _ in range(BATCHES):
            started = time.perf_counter()
            for _ in range(PER_BATCH):
                self.call("GET", path)
            means.append((time.perf_counter() - started) * 1000 / PER_BATCH)
        return means

    def token_requests(self):
        return self.call("GET", "/__admin/requests").get("token", 0)

    def expire_tokens(self):
        self.call("POST", "/__admin/tokens/expire")


def invoke(session, command, args):
    answer = session.run_async(ONE_INVOKE, command, args)
    if "error" in answer:
        raise RuntimeError(f"{command}: {answer['error']}")
    return answer["value"]


def timed_invokes(session, command, args):
    answer = session.run_async(TIMED_INVOKES, command, args, BATCHES, PER_BATCH)
    if "error" in answer:
        raise RuntimeError(f"{command}: {answer['error']}")
    return answer["means"]


@dataclass
class Call:
    """One command's p50 through the app and, for a gateway call, the same request direct."""
    name: str
    through_app: float
    direct: float | None

    @property
    def overhead(self):
        return self.through_app - (self.direct or 0.0)


@dataclass
class IpcFigures:
    calls: list
    bare_noop: float
    app_local: float
    tokens_first_lifetime: int
    tokens_second_lifetime: int


def p50(means):
    return statistics.median(means)


def measure(app_binary, bare_binary, gateway_binary, env, logs):
    """Times each command in the app and its HTTP request direct, then the bare no-op. What the
    windows print goes under `logs`."""
    with Gateway(gateway_binary) as gateway:
        tokens_before = gateway.token_requests()
        app_env = dict(env, DEALER_DESK_DEMO_URL=gateway.url)
        reference = gateway.data["seededReferences"][0]
        with Session(app_binary, app_env, logs / "ipc-app.log") as app:
            app.wait_until("return !!window.__TAURI_INTERNALS__ && "
                           "!!document.getElementById('app')", "the app's window")
            poses = invoke(app, "payment_options", {"currency": CURRENCY})
            # Past the start's own work (first screen, reconciling), which would be timed too.
            time.sleep(SETTLE_SECONDS)
            cases = [
                ("payment options", "payment_options", {"currency": CURRENCY},
                 f"/vpws/paymentOptions?currency={CURRENCY}"),
                ("BIN options", "bin_options",
                 {"input": {"bin": BIN, "currency": CURRENCY, "amount": AMOUNT}},
                 f"/vpws/paymentOptions/{BIN}?currency={CURRENCY}&amount={AMOUNT}"),
                ("lookup", "lookup_transaction",
                 {"key": {"by": "referenceCode", "value": reference}},
                 f"/vpws/transaction?referenceCode={reference}"),
                ("quote of every POS on Rates (one call, no gateway)", "quote",
                 {"input": {"amount": AMOUNT, "currency": CURRENCY,
                            "commissionToCustomer": False, "forCard": False,
                            "tenantPosIds": [p["tenantPosId"] for p in poses]}}, None),
            ]
            calls = []
            for name, command, args, path in cases:
                through_app = p50(timed_invokes(app, command, args))
                direct = p50(gateway.timed(path)) if path else None
                calls.append(Call(name, through_app, direct))
            app_local = p50(timed_invokes(app, "current_payment", {}))
            tokens_first = gateway.token_requests() - tokens_before
            gateway.expire_tokens()
            for _ in range(PER_BATCH):
                invoke(app, "payment_options", {"currency": CURRENCY})
            tokens_second = gateway.token_requests() - tokens_before - tokens_first
    with Session(bare_binary, env, logs / "ipc-bare.log") as bare:
        bare.wait_until("return !!window.__TAURI_INTERNALS__", "the bare window")
        time.sleep(SETTLE_SECONDS)
        bare_noop = p50(timed_invokes(bare, "noop", {}))
    return IpcFigures(calls, bare_noop, app_local, tokens_first, tokens_second)
