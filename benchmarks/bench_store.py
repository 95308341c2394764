"""How fast progress is saved: one answer's round trip, and a class answering at once.

    python benchmarks/bench_store.py [--answers N] [--servers S] [--students K]

Prints figures; asserts nothing. PostgreSQL is a throw-away local server started here the way the tests start
theirs (tests/pg_server.py: initdb + pg_ctl, fsync off, as ``nobody`` when run as root), so its figures
are the cost of gdtui and psycopg, not of a disk or a network. Skipped when no PostgreSQL binaries exist.

* one answer: `record_attempt` (the attempt row and the exercise's state, one transaction), median and p95
  over N calls, on SQLite (WAL, synchronous=NORMAL) and PostgreSQL.
* a class: S server processes × K students, each student its own connection and `Writer` thread sending
  8 answers (every third one twice, as after a lost reply); total time and answers stored per second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gdtui.store import new_attempt_id, open_store  # noqa: E402
from gdtui.store.writer import Writer  # noqa: E402

ANSWERS_PER_STUDENT = 8


def one_answer(where: str, n: int) -> tuple[float, float]:
    times = []
    with open_store(where, where) as store:
        for k in range(n + 10):
            t0 = time.perf_counter()
            store.record_attempt("ann", "l1", "e1", variant=0, input=str(k), read_as=str(k), verdict="incorrect",
                                 attempt_id=new_attempt_id())
            times.append(time.perf_counter() - t0)
    times = sorted(times[10:])  # the first calls warm the connection
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def _server(url: str, server: int, students: int) -> None:
    start = threading.Barrier(students)

    def student(n: int) -> None:
        learner = f"s{server}-{n}"
        store = open_store(url, url)
        writer = Writer(store)
        start.wait()
        for k in range(ANSWERS_PER_STUDENT):
            call_id = new_attempt_id()

            def send(s, k=k, call_id=call_id):
                return s.record_attempt(learner, "l1", "e", variant=0, input=str(k), read_as=None,
                                        verdict="incorrect", attempt_id=call_id)
            writer.put(send)
            if k % 3 == 0:
                writer.put(send)
        writer.close(timeout=600)
        store.close()

    threads = [threading.Thread(target=student, args=(n,)) for n in range(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def a_class(url: str, servers: int, students: int) -> tuple[float, int]:
    open_store(url, url).close()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_server, args=(url, s, students)) for s in range(servers)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    with open_store(url, url, read_only=True) as store:
        stored = len(store.attempts())
    return elapsed, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--students", type=int, default=40)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        median, p95 = one_answer(folder, args.answers)
        print(f"sqlite      one answer: median {median:.2f} ms, p95 {p95:.2f} ms ({args.answers} calls)")

    from pg_server import PgServer, find_bin

    bindir = find_bin()
    if bindir is None:
        print("postgresql  skipped: no initdb / pg_ctl (apt-get install postgresql)")
        return
    server = PgServer(bindir)
    try:
        median, p95 = one_answer(server.fresh_schema("one"), args.answers)
        print(f"postgresql  one answer: median {median:.2f} ms, p95 {p95:.2f} ms ({args.answers} calls)")
        elapsed, stored = a_class(server.fresh_schema("class"), args.servers, args.students)
        expected = args.servers * args.students * ANSWERS_PER_STUDENT
        print(f"postgresql  a class: {args.servers} servers × {args.students} students × {ANSWERS_PER_STUDENT} "
              f"answers (a third sent twice): {stored}/{expected} stored once, {elapsed:.2f} s including "
              f"connecting, {stored / elapsed:.0f} answers/s")
    finally:
        server.destroy()


if __name__ == "__main__":
    main()
