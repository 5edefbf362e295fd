"""Measures Dealer Desk beside its references and prints one table (ARCHITECTURE.md).

Run by bench/run, which builds the app, the bare window and the UI first. Each figure is
measured from outside the app, on this machine, in this run: sizes from the files, starts and
memory from the processes under one Xvfb, journal speed from the journal benchmark.
"""

import argparse
import datetime
import gzip
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import ipc
import ui_scale

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
APP = TARGET / "release" / "dealer-desk"
BARE = TARGET / "release" / "bare-window"
GATEWAY = TARGET / "release" / "vpws-sim"
LOGS = TARGET / "bench"
SEEDER = TARGET / "release" / "examples" / "seed_journal"
MIB = 1024 * 1024


def mib(n):
    return f"{n / MIB:.1f} MiB"


def ui_bundle_gzipped():
    """Every file the window loads (charts included), each gzipped at level 9."""
    total = 0
    for path in sorted((ROOT / "ui" / "dist").rglob("*")):
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), compresslevel=9))
    return total


class Display:
    """One Xvfb for every run, 1280×800 as the issue measures."""

    def __enter__(self):
        self.number = 90 + os.getpid() % 100
        self.proc = subprocess.Popen(
            ["Xvfb", f":{self.number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1)
        return f":{self.number}"

    def __exit__(self, *_):
        self.proc.terminate()
        self.proc.wait()


def tree(pid):
    """`pid` and every process below it."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def pss(pid):
    """Proportional set size of one process, in bytes (0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) * 1024 if match else 0


def name_of(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def environment(display, home):
    """A start on `display` with its own data (settings, journal, WebKit caches) under `home`."""
    env = dict(os.environ)
    env.update(
        DISPLAY=display,
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        RUST_LOG="bench=info",
        LANG="tr_TR.UTF-8",
    )
    return env


def start(binary, display, home, marker, extra_env=None):
    """Starts `binary` on its own data; returns (process, seconds until `marker` on stdout,
    where the app logs)."""
    env = environment(display, home)
    env.update(extra_env or {})
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(binary)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    seen = threading.Event()
    seen_at = []

    def watch():
        # Reads to the end, so a chatty app never blocks on a full pipe.
        for line in proc.stdout:
            if marker in line and not seen.is_set():
                seen_at.append(time.monotonic())
                seen.set()

    threading.Thread(target=watch, daemon=True).start()
    if not seen.wait(timeout=30):
        stop(proc)
        raise RuntimeError(f"{binary.name}: never printed {marker!r}")
    return proc, seen_at[0] - started


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Subject:
    """One binary started by the start and memory rows, on its own data under `home`."""

    def __init__(self, binary, marker, extra_env=None):
        self.binary, self.marker, self.extra_env = binary, marker, extra_env
        self.home = Path(tempfile.mkdtemp(prefix="dd-bench-"))
        self.times, self.memory = [], {}


def starts_and_memory(subjects, runs, display):
    """Starts the subjects in turn, `runs` rounds after one warm-up round on the same data, so
    that a machine that slows down or speeds up during the run weighs on each alike. Each
    subject gets its start times and the idle PSS of its whole process tree 8 s after its last
    start, by process."""
    try:
        for round_ in range(runs + 1):
            for subject in subjects:
                proc, seconds = start(subject.binary, display, subject.home, subject.marker,
                                      subject.extra_env)
                if round_ == runs:
                    time.sleep(8)
                    for pid in tree(proc.pid):
                        name = name_of(pid)
                        subject.memory[name] = subject.memory.get(name, 0) + pss(pid)
                stop(proc)
                if round_ > 0:
                    subject.times.append(seconds)
    finally:
        for subject in subjects:
            shutil.rmtree(subject.home, ignore_errors=True)


def journal_speed(bench, *args):
    """The worst median of a journal benchmark (`journal_search` on SQLite, `team_journal_search`
    on the PostgreSQL of DD_TEST_POSTGRES) run with `args`, in ms."""
    out = subprocess.run(
        ["cargo", "bench", "--locked", "-p", "desk-core", "--bench", bench, "--", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"worst median: ([\d.]+) ms", out)
    return float(match.group(1)) if match else None


def journal_rows(million_on_sqlite):
    """Search, totals and Reports' aggregates through the journal interface, on SQLite and on
    PostgreSQL, at 100,000 and 1,000,000 entries (the SQLite million is the UI's scale journal)."""
    rows = []
    for store, bench, args_100k, args_1m in [
        ("SQLite", "journal_search", [], [str(million_on_sqlite)]),
        ("PostgreSQL", "team_journal_search", ["100000"], ["1000000"]),
    ]:
        for entries, args, budget in [("100,000", args_100k, 50), ("1,000,000", args_1m, 200)]:
            worst = journal_speed(bench, *args)
            rows.append((f"Journal search and reports at {entries} entries, {store} (worst median)",
                         f"{worst:.1f} ms" if worst is not None else "?", "—", f"≤ {budget} ms",
                         worst is not None and worst <= budget))
    return rows


TEAM_DESKS = "10,25,50,100"
# The last row again on a server allowed more connections than a default one (100).
RAISED_CONNECTIONS = 150


def team_load_run(*args):
    """The Markdown lines `team_load` printed: what the load is, its table header and rows."""
    out = subprocess.run(
        ["cargo", "bench", "--locked", "-p", "desk-core", "--bench", "team_load", "--", *args],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    return [line for line in out.splitlines() if line.startswith("|") or line.startswith("Each")]


def team_load():
    """N desks on one PostgreSQL team journal at a million entries (ARCHITECTURE.md, Budgets):
    the table for 10 to 100 desks on a default server, the 100-desk row again on a server
    raised to RAISED_CONNECTIONS connections, and the budget row for 50 desks."""
    lines = team_load_run("--desks", TEAM_DESKS)
    subprocess.run(["bash", "-c", "source .ci/postgres && raise_test_postgres_connections "
                    f"{RAISED_CONNECTIONS}"], cwd=ROOT, check=True)
    raised = [line for line in team_load_run("--desks", "100") if line.startswith("| 100 ")]
    lines += [line.replace("| 100 |", f"| 100, server at {RAISED_CONNECTIONS} connections |", 1)
              for line in raised]
    fifty = next(line for line in lines if line.startswith("| 50 |"))
    cells = [cell.strip() for cell in fifty.strip("|").split("|")]
    p99 = lambda cell: float(cell.split("/")[1].split()[0])
    reserve, search, seen = p99(cells[2]), p99(cells[3]), float(cells[6].split("/")[2].split()[0])
    errors = int(cells[8].split()[0])
    ok = reserve <= 50 and search <= 200 and seen <= 1000 and errors == 0
    row = ("50 desks on one team journal at 1,000,000 entries: p99 reserve + settle, p99 search, "
           "slowest change seen by every desk, errors",
           f"{reserve:.0f} ms, {search:.0f} ms, {seen:.0f} ms, {errors}", "—",
           "≤ 50 ms, ≤ 200 ms, ≤ 1 s, 0", ok)
    return lines, row


def memory_text(memory):
    parts = sorted(memory.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {kv / MIB:.0f}" for name, kv in parts if kv > MIB)


def ipc_rows(figures):
    rows = []
    for call in figures.calls:
        if call.direct is None:
            detail = f"{call.through_app:.2f} ms, no gateway"
            overhead = call.through_app - figures.bare_noop
            detail += f" ({overhead:+.2f} ms beside the bare no-op)"
            ok = overhead <= 1.0
        else:
            detail = (f"**{call.overhead:.2f} ms** ({call.through_app:.2f} ms through the app − "
                      f"{call.direct:.2f} ms direct HTTP)")
            ok = call.overhead <= 1.0
        rows.append((f"App overhead per call, p50: {call.name}", detail,
                     f"bare no-op IPC {figures.bare_noop:.2f} ms; the app's local "
                     f"`current_payment` {figures.app_local:.2f} ms", "≤ 1 ms", ok))
    rows.append(("Token requests per token lifetime",
                 f"{figures.tokens_first_lifetime} for every call above; "
                 f"{figures.tokens_second_lifetime} after the gateway expired it", "—",
                 "exactly 1",
                 figures.tokens_first_lifetime == 1 and figures.tokens_second_lifetime == 1))
    return rows


def timed(pairs):
    return "; ".join(f"{label} {ms:.0f} ms" for label, ms in pairs)


def slowest(pairs):
    """The slowest time of `pairs`, or -1 (never answered) if any timed out."""
    times = [ms for _, ms in pairs]
    return -1 if min(times) < 0 else max(times)


def scale_rows(scale):
    """The screens at a million entries: no budget in ARCHITECTURE.md beyond "smooth"; a frame within
    50 ms and an answer within a second are what an operator does not notice waiting for."""
    return [
        ("1,000,000 entries: Transactions' first rows", f"{scale.first_rows:.0f} ms",
         scale.seeded, "≤ 1 s", 0 <= scale.first_rows <= 1000),
        ("1,000,000 entries: frame time flicking through the list (240 frames)",
         f"p50 {scale.frame_p50:.0f} ms, p95 {scale.frame_p95:.0f} ms, max "
         f"{scale.frame_max:.0f} ms", "60 Hz is 17 ms", "p95 ≤ 50 ms", scale.frame_p95 <= 50),
        ("1,000,000 entries: a jump in the list until every row in view is filled",
         timed(scale.jumps), "—", "≤ 1 s", 0 <= slowest(scale.jumps) <= 1000),
        ("1,000,000 entries: quick search, last key to rows (typed 120 ms a key)",
         timed(scale.searches), "includes the 200 ms pause that ends typing", "≤ 1 s",
         0 <= slowest(scale.searches) <= 1000),
        ("1,000,000 entries: Reports", timed(scale.reports), "—", "≤ 1 s",
         0 <= slowest(scale.reports) <= 1000),
    ]


def other_rows(args):
    """Every row but the million entries' ones."""
    rows = []
    app_size, bare_size = APP.stat().st_size, BARE.stat().st_size
    rows.append(("Release binary, stripped", mib(app_size), mib(bare_size), "≤ 12 MiB",
                 app_size <= 12 * MIB))
    bundle = ui_bundle_gzipped()
    rows.append(("UI bundle, gzipped (charts included)", f"{bundle / 1024:.0f} KiB", "—",
                 "≤ 200 KiB", bundle <= 200 * 1024))

    app = Subject(APP, "rates asked for its data")
    bare = Subject(BARE, "bench: ready")
    # The app draws without accelerated compositing (src-tauri/src/webkit.rs); the bare window
    # drawn the same way is shown beside it, though the budget is the default window.
    bare_flat = Subject(BARE, "bench: ready", {"WEBKIT_DISABLE_COMPOSITING_MODE": "1"})
    with Display() as display:
        starts_and_memory([app, bare], args.runs, display)
        starts_and_memory([bare_flat], 1, display)
    app_memory, bare_memory, bare_flat_memory = app.memory, bare.memory, bare_flat.memory
    app_pss, bare_pss = sum(app_memory.values()), sum(bare_memory.values())
    app_start, bare_start = statistics.median(app.times), statistics.median(bare.times)
    rows.append((f"Start → Rates asks for its data (median of {args.runs}, taken in turn with "
                 "the bare window's)",
                 f"{app_start * 1000:.0f} ms (fastest {min(app.times) * 1000:.0f}, slowest "
                 f"{max(app.times) * 1000:.0f})",
                 f"{bare_start * 1000:.0f} ms (page ready; fastest "
                 f"{min(bare.times) * 1000:.0f}, slowest {max(bare.times) * 1000:.0f})",
                 "≤ 500 ms", app_start <= 0.5))
    rows.append(("Idle PSS of the process tree, 8 s after start",
                 f"{mib(app_pss)} ({memory_text(app_memory)})",
                 f"{mib(bare_pss)} ({memory_text(bare_memory)})",
                 "≤ 1.1 × bare", app_pss <= 1.1 * bare_pss))
    bare_flat_pss = sum(bare_flat_memory.values())
    rows.append(("Idle PSS, the bare window also without accelerated compositing (as the app)",
                 f"{mib(app_pss)}, {app_pss / bare_flat_pss:.2f} × this bare window",
                 f"{mib(bare_flat_pss)} ({memory_text(bare_flat_memory)})", "—", None))

    ipc_home = Path(tempfile.mkdtemp(prefix="dd-bench-ipc-"))
    try:
        with Display() as display:
            figures = ipc.measure(APP, BARE, GATEWAY, environment(display, ipc_home), LOGS)
    finally:
        shutil.rmtree(ipc_home, ignore_errors=True)
    rows.extend(ipc_rows(figures))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11, help="starts measured per binary")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the rows at a million journal entries")
    parser.add_argument("--team-only", action="store_true",
                        help="only the team journal's load of many desks")
    args = parser.parse_args()

    rows = [] if args.scale_only or args.team_only else other_rows(args)
    if not args.team_only:
        scale_home = Path(tempfile.mkdtemp(prefix="dd-bench-scale-"))
        try:
            with Display() as display:
                scale = ui_scale.figures(SEEDER, APP, environment(display, scale_home),
                                         scale_home, LOGS)
        finally:
            shutil.rmtree(scale_home, ignore_errors=True)
        rows.extend(scale_rows(scale))
        rows.extend(journal_rows(LOGS / ui_scale.JOURNAL))
    # Last: it raises the test server's connections for its last row.
    team_lines, team_row = team_load()
    rows.append(team_row)

    print(f"Dealer Desk benchmarks, {datetime.date.today()}, {platform.node()}, "
          f"{os.cpu_count()} cores, {platform.platform()}\n")
    print("| Figure | Dealer Desk | Reference | Budget | Within |")
    print("|---|---|---|---|---|")
    for figure, app, reference, budget, ok in rows:
        verdict = "—" if ok is None else ("yes" if ok else "**no**")
        print(f"| {figure} | {app} | {reference} | {budget} | {verdict} |")
    print("\nTeam mode at scale: N desks, each its own core, pool and listener, on one PostgreSQL "
          "server and one demo gateway, on this machine.\n")
    print("\n".join(team_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
