"""Benchmark of the expression language: reading, differentiating and evaluating.

Run:  python benchmarks/bench_expr.py
Prints medians (time.perf_counter) of
  * parse (text -> simplified tree) and parse + compile + first call, in µs;
  * the exact gradient (all partial derivatives), in µs;
  * evaluation on a 400×400 meshgrid, in ms (target ≤ 5 ms for Rosenbrock and Himmelblau);
  * the best-of-5 time of every path a learner reaches (parse, str, unicode, diff, gradient, Hessian,
    evaluation on the 160×96 grid a full-screen chart samples) for the deepest and widest inputs the caps admit, in ms
    (target ≤ 50 ms each; a refusal, "refused", counts with the time it took to refuse).
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

from gdtui.engine.expr import ExprError, parse

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


def _nest(wrapper: str, core: str, depth: int) -> str:
    text = core
    for _ in range(depth):
        text = wrapper.format(text)
    return text


# the deepest and widest inputs the caps (1000 characters, 400 parts, 60 levels) admit
WORST = {
    "exp chain 58": (_nest("exp({})", "x", 58), ("x",)),
    "exp(-exp(-…)) 29": (_nest("exp(-{})", "x", 29), ("x",)),
    "sin chain 58 of x*y": (_nest("sin({})", "x*y", 58), XY),
    "sin chain 30 of x*y": (_nest("sin({})", "x*y", 30), XY),
    "sin(x*…) 29": (_nest("sin(x*{})", "y", 29), XY),
    "tanh(y*(…)^2) 19": (_nest("tanh(y*({})^2)", "x", 19), XY),
    "sigmoid(x·…)·y 19": (_nest("sigmoid(x*{})*y", "y", 19), XY),
    "(…)^y 29": (_nest("({})^y", "x", 29), XY),
    "wide sum x^k·y^k": (" + ".join(f"x^{k}*y^{k % 7}" for k in range(1, 45)), XY),
    "wide product": ("*".join(f"(x+{k}y)" for k in range(1, 59)), XY),
    "wide quotient": ("/".join(f"sin({k}x*y)" for k in range(1, 50)), XY),
}


def _worst_ms(fn, runs: int) -> tuple[float, bool]:
    """(best of `runs` calls in ms, whether it was refused): on a shared machine the best run is the
    cost of the work itself, the others add whatever else was running."""
    samples, refused = [], False
    for _ in range(runs):
        start = time.perf_counter()
        try:
            fn()
        except ExprError:
            refused = True
        samples.append(time.perf_counter() - start)
    return min(samples) * 1e3, refused


def bench_worst(runs: int = 5) -> float:
    grid = np.meshgrid(np.linspace(-2.0, 2.0, 160), np.linspace(-2.0, 2.0, 96))  # a full-screen 2-D chart
    line = np.linspace(-2.0, 2.0, 320)  # a 1-D chart of f′
    paths = ("parse", "str", "unicode", "gradient", "hessian", "str(H)", "unicode(H)", "f on grid", "∇f on line")
    print(f"worst cases the caps admit   (best of {runs}, ms; * = refused; target ≤ 50 ms)")
    print(f"  {'':22s}" + "".join(f"{p:>11s}" for p in paths))
    slowest = 0.0
    for name, (text, names) in WORST.items():
        e = parse(text, names)
        zeros = grid[: len(names)]
        steps = {
            "parse": lambda: parse(text, names), "str": lambda: str(e), "unicode": e.unicode,
            "gradient": e.gradient, "hessian": e.hessian,
            "str(H)": lambda: [str(h) for row in e.hessian() for h in row],
            "unicode(H)": lambda: [h.unicode() for row in e.hessian() for h in row],
            "f on grid": lambda: e(*zeros), "∇f on line": lambda: [g(line, 0.5) if len(names) == 2 else g(line)
                                                                 for g in e.gradient()],
        }
        cells = []
        for p in paths:
            ms, refused = _worst_ms(steps[p], runs)
            if p in ("str(H)", "unicode(H)") and not refused:
                ms -= _worst_ms(e.hessian, 1)[0]  # the printing alone
            if p == "∇f on line" and not refused:
                ms -= _worst_ms(e.gradient, 1)[0]
            slowest = max(slowest, ms)
            cells.append(f"{max(ms, 0.0):9.1f}{'*' if refused else ' '} ")
        print(f"  {name:22s}" + "".join(cells) + f"   ({len(text)} chars)")
    print(f"  slowest step: {slowest:.1f} ms")
    return slowest


def main() -> int:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpus, load {load:.1f}")
    bench_parsing()
    grid_ok = bench_grid()
    bench_worst()
    return 0 if grid_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
