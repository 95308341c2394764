"""Benchmark the classroom SSH server; prints figures (not a test).

    python benchmarks/bench_ssh.py            # against the stand-in app (tests/serve/fake_child.py)
    python benchmarks/bench_ssh.py --real     # against the real tutor on the bundled course
    python benchmarks/bench_ssh.py --hostile  # then the same typing during a flood of sessionless connections

    python benchmarks/bench_ssh.py --real --sessions 200 --typing 40   # a lecture hall, 40 of them typing
    python benchmarks/bench_ssh.py --real --growth                     # 10, 40, 100, 200 open: one table

With the real tutor the server forks each session from its zygote (gdtui.serve.zygote); the benchmark waits
until the zygote is ready. Targets (issue 16, on this 2-core machine): first screen <= 150 ms median with 40
sessions open; private memory <= 20 MB per session, each in a lesson; p95 keystroke to screen <= 150 ms with
200 sessions open and 40 typing. In order:

* memory per session: ``--sessions`` students arrive (4 at a time) and each opens the first lesson and focuses its
  chart; then, from /proc/PID/smaps_rollup summed over each session's processes, the private memory
  (Private_Clean + Private_Dirty: what each session alone costs), the resident set (RSS) and PSS (the shared
  pages divided fairly between the processes that share them);
* connect to first screen, with those sessions open: from opening the TCP connection to the first screen
  showing the learner's name (key exchange, login, PTY, fork or start, first render), median of ``--connects``
  one after another;
* keystroke to screen: ``--typing`` of the sessions, each pressing a key about once a second; the time from
  sending the key until the redraw it causes has arrived (the last byte before the output goes quiet), p50
  and p95. Stand-in: `a` (the counter on screen goes up). Real tutor: the first lesson's chart is focused and
  nudged with the right/left arrows, so each key redraws a live chart.

With ``--hostile`` the students type a second time while another process floods the server from another
address: raw TCP connections that never speak SSH (from 127.0.0.1) and logins that never open a session
(``ssh -N``, from 127.0.0.3), each reopened as soon as the server closes it. It prints p95 keystroke to screen during the flood next to the quiet
figures before and after it (the machine's load drifts), what became of the flood's connections, and how many
lines the server logged.

The clients are asyncssh sessions with a PTY (scripted students) in this process, from 127.0.0.2; the server is a separate `gdtui serve ssh` process on loopback. Clients and server share the two cores here (in a classroom the clients
run on the students' machines), so the figures are on the pessimistic side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh
from ssh_memory import cpu_seconds, memory_line, memory_of_sessions

ROOT = Path(__file__).resolve().parents[1]
FAKE_CHILD = ROOT / "tests" / "serve" / "fake_child.py"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]")
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"
QUIET = 0.05  # output silent this long after a key: the redraw is complete
STUDENT_ADDRESS = "127.0.0.2"  # Linux routes all of 127/8 to loopback
RAW_FLOOD_ADDRESS, LOGIN_FLOOD_ADDRESS = "127.0.0.1", "127.0.0.3"
SESSION_TIMEOUT = 10  # the server's --session-timeout here: a sessionless login is closed after this


class Terminal(asyncssh.SSHClientSession):
    """One scripted student's terminal: collects output with arrival times."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.last_arrival = 0.0
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype) -> None:
        self.output += data
        self.last_arrival = time.perf_counter()
        self.changed.set()

    def text(self) -> str:
        return ANSI.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    async def wait_text(self, pattern: str, timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while not re.search(pattern, self.text()):
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{pattern!r} never appeared; last output: {self.text()[-300:]!r}")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until the app has stopped drawing."""
        while time.perf_counter() - self.last_arrival < quiet:
            await asyncio.sleep(quiet / 3)


class Student:
    def __init__(self, port: int, name: str, real: bool) -> None:
        self.port, self.name, self.real = port, name, real
        self.conn: asyncssh.SSHClientConnection | None = None
        self.chan = None
        self.term: Terminal | None = None

    async def connect(self) -> float:
        """Log in and wait for the first screen; the seconds it took."""
        start = time.perf_counter()
        self.conn = await asyncssh.connect("127.0.0.1", self.port, username=self.name, known_hosts=None,
                                           client_keys=None, agent_path=None, config=None,
                                           local_addr=(STUDENT_ADDRESS, 0))
        self.chan, self.term = await self.conn.create_session(
            Terminal, term_type="xterm-256color", term_size=(120, 36), encoding=None)
        await self.term.wait_text(("learner " if self.real else "gdtui ready ") + self.name)
        return time.perf_counter() - start

    async def get_ready_to_type(self) -> None:
        await self.term.settle()
        if self.real:  # open the first lesson and focus its chart
            self.chan.write(b"\r")
            await self.term.wait_text(r"exercises solved")
            await self.term.settle()
            self.chan.write(b"\t")
            await self.term.settle()

    async def press(self, count: int) -> list[float]:
        """Press keys about once a second; the key-to-redraw latencies."""
        latencies = []
        for n in range(1, count + 1):
            await asyncio.sleep(random.uniform(0.7, 1.3))
            key = (RIGHT if n % 2 else LEFT) if self.real else b"a"
            before = len(self.term.output)
            sent = time.perf_counter()
            self.chan.write(key)
            if not self.real:
                await self.term.wait_text(rf"pressed {n}\b")
            while len(self.term.output) == before:  # the first byte of the redraw
                self.term.changed.clear()
                await asyncio.wait_for(self.term.changed.wait(), 30)
            while time.perf_counter() - self.term.last_arrival < QUIET:  # and the last
                await asyncio.sleep(QUIET / 5)
            latencies.append(self.term.last_arrival - sent)
        return latencies

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def start_server(data_dir: Path, real: bool, lessons: str | None) -> tuple[subprocess.Popen, int]:
    """The server, listening; with the real tutor, also its zygote ready (else sessions are spawned)."""
    argv = [sys.executable, "-m", "gdtui", "serve", "ssh", "--listen", "127.0.0.1:0", "--data-dir", str(data_dir),
            "--max-sessions", "400", "--max-sessions-per-learner", "400",
            "--max-connections", "600", "--max-per-address", "500", "--idle-timeout", "0", "--session-timeout", str(SESSION_TIMEOUT)]
    if lessons:
        argv += ["--lessons", lessons]
    if not real:
        argv += ["--child-command", f"{{python}} {FAKE_CHILD} {{learner}} {{data_dir}}"]
    log = open(data_dir.parent / "server.log", "w+b")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = Path(log.name).read_bytes()
        match = re.search(rb"listening on 127\.0\.0\.1:(\d+)", text)
        if match and (not real or b"ready: sessions are forked" in text):
            return proc, int(match.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"the server did not start:\n{Path(log.name).read_text()}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def typing_figures(results: list[list[float]]) -> tuple[float, float, float]:
    latencies = [value for result in results for value in result]
    return percentile(latencies, 50), percentile(latencies, 95), max(latencies)


async def flood(port: int, seconds: float, raw: int, logins: int) -> dict[str, int]:
    """``raw`` TCP connections that never speak SSH (from one address) and ``logins`` that never open a session
    (from another), each reopened as soon as it is closed, for ``seconds``; counts of what happened to them."""
    loop = asyncio.get_running_loop()
    stop = loop.time() + seconds
    counts: dict[str, int] = {}

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    async def raw_connection() -> None:
        while loop.time() < stop:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                               local_addr=(RAW_FLOOD_ADDRESS, 0))
            except OSError:
                count("tcp connect failed")
                await asyncio.sleep(0.05)
                continue
            count("tcp opened")
            try:
                while await asyncio.wait_for(reader.read(4096), max(0.01, stop - loop.time())):
                    pass
                count("tcp closed by the server")
            except (asyncio.TimeoutError, OSError):
                pass
            writer.close()

    async def sessionless_login(n: int) -> None:
        while loop.time() < stop:
            try:
                conn = await asyncio.wait_for(asyncssh.connect(
                    "127.0.0.1", port, username=f"flood{n}", known_hosts=None, client_keys=None, agent_path=None,
                    config=None, local_addr=(LOGIN_FLOOD_ADDRESS, 0)), max(0.01, stop - loop.time()))
            except (OSError, asyncssh.Error, asyncio.TimeoutError):
                count("login refused or failed")
                await asyncio.sleep(0.05)
                continue
            count("logged in, no session")
            try:
                await asyncio.wait_for(conn.wait_closed(), max(0.01, stop - loop.time()))
                count("sessionless login closed by the server")
            except asyncio.TimeoutError:
                conn.close()

    await asyncio.gather(*(raw_connection() for _ in range(raw)), *(sessionless_login(n) for n in range(logins)))
    return counts


def start_flood(port: int, seconds: float, raw: int, logins: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--flood-port", str(port), "--flood-seconds", str(seconds),
                             "--flood-raw", str(raw), "--flood-logins", str(logins)],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)


async def bench(port: int, server_pid: int, real: bool, sessions: int, typing: int, keys: int, connects: int,
                hostile: tuple[int, int] | None, log_path: Path) -> dict[str, float]:
    """Print the figures for one class of ``sessions``; return them (for --growth's table)."""
    what = "real tutor" if real else "stand-in app (tests/serve/fake_child.py)"
    print(f"gdtui serve ssh benchmark: {what}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")

    students = [Student(port, f"student{n:03d}", real) for n in range(sessions)]
    gate = asyncio.Semaphore(4)  # a class arriving, not a stampede

    async def arrive(student: Student) -> None:
        async with gate:
            await student.connect()
        await student.get_ready_to_type()

    await asyncio.gather(*(arrive(s) for s in students))
    sizes = memory_of_sessions(server_pid)
    print(f"memory per session, {len(sizes)} sessions{' each in a lesson' if real else ''}: {memory_line(sizes)}"
          "   target private <= 20 MB")

    times = []
    for n in range(connects):
        student = Student(port, f"first{n}", real)
        times.append(await student.connect())
        student.close()
        await asyncio.sleep(0.5)  # let the previous session end
    print(f"connect to first screen with {sessions} sessions open: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={connects})   target <= 150 ms")

    typists = students[:typing]
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    results = await asyncio.gather(*(s.press(keys) for s in typists))
    elapsed = time.perf_counter() - started
    p50, p95, worst = typing_figures(results)
    print(f"keystroke to screen, {len(typists)} of {sessions} sessions typing x {keys} keys: p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms   target p95 <= 150 ms; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  (the server process itself used {100 * (cpu_seconds(server_pid) - cpu_before) / elapsed:.0f}% "
          "of one core meanwhile)")
    print(f"memory per session after typing: {memory_line(memory_of_sessions(server_pid))}")
    figures = {"sessions": len(sizes), "typing": len(typists), "first": statistics.median(times) * 1000,
               "p50": p50 * 1000, "p95": p95 * 1000, "load": os.getloadavg()[0],
               **{name: statistics.median(size[name] for size in sizes) for name in ("Private", "Rss", "Pss")}}
    if hostile is not None:
        await hostile_typing(port, server_pid, typists, keys, hostile, log_path, quiet_p95=p95)
    for student in students:
        student.close()
    return figures


def growth_table(rows: list[dict[str, float]]) -> str:
    """How the figures grow with the number of sessions open, one line per class size."""
    lines = ["  open  typing  private MB  RSS MB  PSS MB  first screen ms  keystroke p50 ms  p95 ms  load",
             "  ----  ------  ----------  ------  ------  ---------------  ----------------  ------  ----"]
    for row in rows:
        lines.append(f"  {row['sessions']:4d}  {row['typing']:6d}  {row['Private']:10.1f}  {row['Rss']:6.1f}  "
                     f"{row['Pss']:6.1f}  {row['first']:15.0f}  {row['p50']:16.0f}  {row['p95']:6.0f}  "
                     f"{row['load']:4.1f}")
    return "\n".join(lines)


async def hostile_typing(port: int, server_pid: int, students: list[Student], keys: int, hostile: tuple[int, int],
                         log_path: Path, quiet_p95: float) -> None:
    raw, logins = hostile
    lines_before = len(log_path.read_bytes().splitlines())
    seconds = keys * 1.3 + 2 * SESSION_TIMEOUT
    flooder = start_flood(port, seconds, raw, logins)
    await asyncio.sleep(SESSION_TIMEOUT)  # the flood fills its share of the server first
    fds = len(os.listdir(f"/proc/{server_pid}/fd"))
    cpu_before, started = cpu_seconds(server_pid), time.perf_counter()
    results = await asyncio.gather(*(s.press(keys) for s in students))
    elapsed = time.perf_counter() - started
    server_cpu = 100 * (cpu_seconds(server_pid) - cpu_before) / elapsed
    flood_cpu = 100 * cpu_seconds(flooder.pid) / (elapsed + SESSION_TIMEOUT)
    load = os.getloadavg()[0]
    out, _ = await asyncio.get_running_loop().run_in_executor(None, flooder.communicate)
    counts = json.loads(out)
    p50, p95, worst = typing_figures(results)
    print(f"during a flood of {raw} raw TCP connections and {logins} sessionless logins "
          f"(--session-timeout {SESSION_TIMEOUT}):")
    print(f"  keystroke to screen, {len(students)} sessions x {keys} keys: p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms (quiet: {quiet_p95 * 1000:.0f} ms), max {worst * 1000:.0f} ms")
    print(f"  the server used {server_cpu:.0f}% of one core and held {fds} file descriptors; the flooding "
          f"process {flood_cpu:.0f}% (it shares the cores with the students here); load average {load:.1f}")
    print("  the flood's connections: " + ", ".join(f"{what} {n}" for what, n in sorted(counts.items())))
    log = log_path.read_bytes().splitlines()[lines_before:]
    print(f"  server log: {len(log)} lines during the flood, {sum(b'Traceback' in line for line in log)} tracebacks")
    results = await asyncio.gather(*(s.press(keys) for s in students))  # the machine's load may have changed
    p50, p95, worst = typing_figures(results)
    print(f"after the flood, quiet again: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", action="store_true", help="the real tutor instead of the stand-in")
    parser.add_argument("--lessons", default=None, help="course for --real (default: the bundled one)")
    parser.add_argument("--sessions", type=int, default=40, help="sessions open at once")
    parser.add_argument("--typing", type=int, default=40, help="of them, how many type")
    parser.add_argument("--keys", type=int, default=15, help="keys each session presses")
    parser.add_argument("--connects", type=int, default=10)
    parser.add_argument("--hostile", action="store_true", help="then type again during a flood")
    parser.add_argument("--growth", nargs="?", const="10,40,100,200", default=None, metavar="N,N,...",
                        help="one fresh server per class size (default 10,40,100,200), then a table of how the "
                             "figures grow with N (--typing of each class type)")
    parser.add_argument("--raw", type=int, default=100, help="flood: raw TCP connections held open at once")
    parser.add_argument("--logins", type=int, default=100, help="flood: sessionless logins at once")
    parser.add_argument("--flood-port", type=int, help=argparse.SUPPRESS)  # the flooding process itself
    parser.add_argument("--flood-seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--flood-raw", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--flood-logins", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flood_port:
        counts = asyncio.run(flood(args.flood_port, args.flood_seconds, args.flood_raw, args.flood_logins))
        print(json.dumps(counts))
        return
    sizes = [int(n) for n in args.growth.split(",")] if args.growth else [args.sessions]
    rows = []
    for sessions in sizes:
        with tempfile.TemporaryDirectory(prefix="gdtui-bench-") as tmp:
            proc, port = start_server(Path(tmp) / "data", args.real, args.lessons)
            try:
                rows.append(asyncio.run(bench(
                    port, proc.pid, args.real, sessions, min(args.typing, sessions), args.keys, args.connects,
                    (args.raw, args.logins) if args.hostile else None, Path(tmp) / "server.log")))
            finally:
                proc.terminate()
                proc.wait(60)
        if args.growth:
            print()
    if args.growth:
        print(f"how the figures grow with the sessions open ({'real tutor' if args.real else 'stand-in'}; medians "
              "per session; first screen with the class open; keys of --typing sessions):")
        print(growth_table(rows))


if __name__ == "__main__":
    main()
