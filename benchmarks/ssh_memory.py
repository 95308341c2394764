"""Memory and CPU of the classroom server's sessions, read from /proc (for bench_ssh.py; not a test)."""

from __future__ import annotations

import os
import statistics
from pathlib import Path


def session_leaders(server_pid: int) -> set[int]:
    """The server's children that lead a session: all but its zygote (which leads its own group only)."""
    leaders = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == server_pid and int(fields[3]) == int(entry):  # its parent, its session id
            leaders.add(int(entry))
    return leaders


def memory_of_sessions(server_pid: int) -> list[dict[str, float]]:
    """RSS, PSS and private (Private_Clean + Private_Dirty: what this session alone costs) in MB, per session,
    summed over every process in the session of each of the server's children."""
    by_session: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            by_session.setdefault(int(stat[stat.rfind(")") + 2:].split()[3]), []).append(int(entry))
    sizes = []
    for leader in session_leaders(server_pid):
        kb = {"Rss": 0, "Pss": 0, "Private": 0}
        for pid in by_session.get(leader, []):
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    name, _, value = line.partition(":")
                    if name in ("Rss", "Pss"):
                        kb[name] += int(value.split()[0])
                    elif name in ("Private_Clean", "Private_Dirty"):
                        kb["Private"] += int(value.split()[0])
            except OSError:
                continue
        sizes.append({name: value / 1024 for name, value in kb.items()})
    return sizes


def memory_line(sizes: list[dict[str, float]]) -> str:
    private = [size["Private"] for size in sizes]
    return (f"private median {statistics.median(private):.1f} MB (max {max(private):.1f}), "
            f"RSS median {statistics.median(s['Rss'] for s in sizes):.1f} MB, "
            f"PSS median {statistics.median(s['Pss'] for s in sizes):.1f} MB")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
