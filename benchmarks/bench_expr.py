"""Benchmark of the expression language: reading, differentiating and evaluating.

Run:  python benchmarks/bench_expr.py
Prints medians (time.perf_counter) of
  * parse (text -> simplified tree) and parse + compile + first call, in µs;
  * the exact gradient (all partial derivatives), in µs;
  * evaluation on a 400×400 meshgrid, in ms (target ≤ 5 ms for Rosenbrock and Himmelblau).
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

from gdtui.engine.expr import parse

XY = ("x", "y")
EXPRESSIONS = {
    "square": ("x**2", ("x",)),
    "quadratic (^, implicit *)": ("x^2 + 2x + 1", ("x",)),
    "rosenbrock": ("(1-x)**2 + 100*(y-x**2)**2", XY),
    "himmelblau": ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", XY),
    "busy": ("sigmoid(3x - 1)*log(1 + exp(-x**2)) + sqrt(abs(sin(x)))/max(x, 1)", ("x",)),
}
GRID = ("rosenbrock", "himmelblau")
TARGET_MS = 5.0


def timings(fn, runs: int) -> list[float]:
    """Seconds of each of `runs` calls of fn(), after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def median_time(fn, runs: int) -> float:
    return statistics.median(timings(fn, runs))


def bench_parsing(runs: int = 300) -> None:
    print(f"parse / parse + compile + first call / gradient   (median of {runs}, µs)")
    for name, (text, variables) in EXPRESSIONS.items():
        zeros = [0.0] * len(variables)
        parse_s = median_time(lambda: parse(text, variables), runs)
        first_s = median_time(lambda: parse(text, variables)(*zeros), runs)
        expr = parse(text, variables)
        grad_s = median_time(lambda: expr.gradient(), runs)
        print(f"  {name:28s} {parse_s * 1e6:8.1f} {first_s * 1e6:10.1f} {grad_s * 1e6:10.1f}   {text}")


def bench_grid(n: int = 400, runs: int = 100) -> bool:
    x, y = np.meshgrid(np.linspace(-2.0, 2.0, n), np.linspace(-1.0, 3.0, n))
    print(f"evaluation on a {n}×{n} meshgrid   (ms over {runs} runs: median [best]; "
          f"target ≤ {TARGET_MS:g} ms median)")
    ok = True
    for name in GRID:
        text, variables = EXPRESSIONS[name]
        expr = parse(text, variables)
        grad = expr.gradient()
        value = timings(lambda: expr(x, y), runs)
        grad_t = timings(lambda: [g(x, y) for g in grad], runs)
        hand = timings(lambda: _by_hand(name, x, y), runs)
        value_ms = statistics.median(value) * 1e3
        ok &= value_ms <= TARGET_MS
        print(f"  {name:12s} f {_ms(value)}  {'ok' if value_ms <= TARGET_MS else 'SLOW':4s}"
              f"  ∇f (2 exprs) {_ms(grad_t)}   same f hand-written in numpy {_ms(hand)}")
    return ok


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e3:6.2f} [{min(samples) * 1e3:5.2f}]"


def _by_hand(name: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The same function written directly in numpy: the floor the closures are measured against."""
    if name == "rosenbrock":
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def main() -> int:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus, load {load:.1f}")
    bench_parsing()
    return 0 if bench_grid() else 1


if __name__ == "__main__":
    raise SystemExit(main())
