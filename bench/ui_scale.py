"""The screens at a million journal entries, timed inside the app's window through WebDriver:
Transactions' first rows, its scrolling (frame times while flicking through the list, and a
jump to the middle), a quick search typed key by key, and Reports over a month and a year.

Times are taken with `performance.now()` in the page from the operator's action (a click, the
last key) to the frame that shows the answer.
"""

import datetime
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass

from webdriver import Session

ENTRIES = 1_000_000
# The seeded journal, under the benchmark's logs; kept while the seeder is unchanged.
JOURNAL = "journal-1m.sqlite"
DATA_DIR = "com.finrota-dealers.dealerdesk"

# Waits, frame by frame, until `ready()` holds; calls `done` with the ms since `started`.
HELPERS = """
const LIST = '[data-testid="journal-list"]';
const filled = (row) => !!row && !!row.querySelector('[role=gridcell][title]');
const firstRowFilled = () => filled(document.querySelector(LIST + ' [aria-rowindex="2"]'));
const rowsInView = () => {
  const viewport = document.querySelector(LIST + ' .viewport');
  const box = viewport.getBoundingClientRect();
  return [...viewport.querySelectorAll('[role=row]')].filter((r) => {
    const b = r.getBoundingClientRect();
    return b.bottom > box.top && b.top < box.bottom;
  });
};
const allInViewFilled = () => { const rows = rowsInView(); return rows.length > 0 && rows.every(filled); };
const waitFor = (ready, started, done) => {
  const tick = () => {
    if (ready()) done(performance.now() - started);
    else if (performance.now() - started > 120000) done(-1);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};
const type = (input, value) => {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const done = arguments[arguments.length - 1];
"""

OPEN_TRANSACTIONS = HELPERS + """
const started = performance.now();
document.querySelectorAll('nav button')[2].click();
waitFor(firstRowFilled, started, done);
"""

FLICK = HELPERS + """
const [frames, step] = arguments;
const viewport = document.querySelector(LIST + ' .viewport');
const times = [];
let last = performance.now();
const next = () => {
  const now = performance.now();
  times.push(now - last);
  last = now;
  if (times.length > frames) { done(times.slice(1)); return; }
  viewport.scrollTop += step;
  requestAnimationFrame(next);
};
requestAnimationFrame(next);
"""

JUMP = HELPERS + """
const [fraction] = arguments;
const viewport = document.querySelector(LIST + ' .viewport');
const started = performance.now();
viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * fraction;
viewport.dispatchEvent(new Event('scroll'));
requestAnimationFrame(() => waitFor(allInViewFilled, started, done));
"""

TYPE_SEARCH = HELPERS + """
const [text, gap] = arguments;
const input = document.querySelector('[data-testid="journal-search"]');
type(input, '');
let i = 0;
const key = () => {
  i += 1;
  type(input, text.slice(0, i));
  if (i < text.length) { setTimeout(key, gap); return; }
  const started = performance.now();
  requestAnimationFrame(() => waitFor(() => firstRowFilled() || !!document.querySelector('[data-testid="journal-empty"]'), started, done));
};
// Waits for the list shown now (the last search) before typing the next one.
waitFor(firstRowFilled, performance.now(), () => setTimeout(key, gap));
"""

OPEN_REPORTS = HELPERS + """
const started = performance.now();
document.querySelectorAll('nav button')[3].click();
waitFor(() => !!document.querySelector('section.summary, [data-testid="report-empty"]'), started, done);
"""

REPORT_RANGE = HELPERS + """
const [preset, from, to] = arguments;
const summary = () => document.querySelector('section.summary')?.getAttribute('aria-label') ?? '';
const before = summary();
const started = performance.now();
if (preset) document.querySelector(`[data-testid="preset-${preset}"]`).click();
else { type(document.querySelector('[data-testid="report-from"]'), from);
       type(document.querySelector('[data-testid="report-to"]'), to); }
waitFor(() => summary() !== '' && summary() !== before, started, done);
"""


@dataclass
class ScaleFigures:
    seeded: str
    first_rows: float
    frame_p50: float
    frame_p95: float
    frame_max: float
    jumps: list
    searches: list
    reports: list


def seed(example, journal, log):
    """A journal of ENTRIES entries, written once and reused while the seeder is unchanged."""
    if journal.exists() and journal.stat().st_mtime > example.stat().st_mtime:
        return f"{ENTRIES:,} entries (seeded by an earlier run)"
    out = subprocess.run([str(example), str(journal), str(ENTRIES)], capture_output=True,
                         text=True, check=True).stdout
    log.write_text(out)
    return out.strip().replace("\n", "; ")


def home_with(journal, home):
    """`home`'s app data holds a copy of `journal`."""
    data = home / "data" / DATA_DIR
    data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(journal, data / "journal.sqlite")
    return home


def measure(app_binary, env, logs, settle_seconds):
    with Session(app_binary, env, logs / "scale-app.log") as app:
        app.wait_until("return !!document.querySelector('nav button')", "the app's window")
        # Past the start's own work (the journal's check after start reads the whole file).
        time.sleep(settle_seconds)
        first_rows = app.run_async(OPEN_TRANSACTIONS)
        frames = app.run_async(FLICK, 240, 1500)
        jumps = [(label, app.run_async(JUMP, fraction))
                 for label, fraction in (("the middle", 0.5), ("the oldest", 1.0),
                                         ("the newest", 0.0))]
        searches = [(text, app.run_async(TYPE_SEARCH, text, 120))
                    for text in ("mehmet musteri42", "0001234", "iadesi")]
        today = datetime.date.today()
        year_ago = today - datetime.timedelta(days=365)
        reports = [("opening Reports (today)", app.run_async(OPEN_REPORTS))]
        reports.append(("this month", app.run_async(REPORT_RANGE, "thisMonth", "", "")))
        reports.append(("last month", app.run_async(REPORT_RANGE, "lastMonth", "", "")))
        reports.append(("a year, typed dates", app.run_async(
            REPORT_RANGE, "", year_ago.strftime("%d.%m.%Y"), today.strftime("%d.%m.%Y"))))
    frames.sort()
    return frames, first_rows, jumps, searches, reports


def figures(example, app_binary, env, home, logs, settle_seconds=20):
    journal = logs / JOURNAL
    seeded = seed(example, journal, logs / "seed.log")
    home_with(journal, home)
    frames, first_rows, jumps, searches, reports = measure(app_binary, env, logs, settle_seconds)
    return ScaleFigures(
        seeded=seeded,
        first_rows=first_rows,
        frame_p50=statistics.median(frames),
        frame_p95=frames[int(len(frames) * 0.95)],
        frame_max=frames[-1],
        jumps=jumps,
        searches=searches,
        reports=reports,
    )
