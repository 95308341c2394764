"""Engine figures: batched vs textbook numerical gradient, Adam on Rosenbrock, descend overhead.

    python benchmarks/bench_engine.py [--n 1000]

Prints figures; asserts nothing.  Each timing is the best of several repeats.
"""

from __future__ import annotations

import argparse
import timeit

import numpy as np

from gdtui.engine.calculus import numerical_gradient, numerical_gradient_at, numerical_gradient_batch
from gdtui.engine.descent import descend
from gdtui.engine.optimizers import make_optimizer


def best_seconds(run, number: int, repeat: int = 5) -> float:
    return min(timeit.repeat(run, number=number, repeat=repeat)) / number


def sum_of_squares(p: np.ndarray) -> float:
    return np.sum(p**2)


BATCHED = {
    "np.sum(P**2, axis=1)": lambda P: np.sum(P**2, axis=1),
    "np.einsum('ij,ij->i', P, P)": lambda P: np.einsum("ij,ij->i", P, P),
}


def gradient_speedup(n: int) -> None:
    x = np.random.default_rng(0).normal(size=n)
    textbook = best_seconds(lambda: numerical_gradient(sum_of_squares, x), number=3)
    print(f"numerical gradient of Σx² at n = {n} ({2 * n} points, {2 * n * n * 8 / 1e6:.1f} MB of them):")
    print(f"  textbook loop                                {textbook * 1e3:8.2f} ms")
    for label, f_batch in BATCHED.items():
        batched = best_seconds(lambda: numerical_gradient_batch(f_batch, x), number=10)
        same = np.allclose(numerical_gradient_batch(f_batch, x), numerical_gradient(sum_of_squares, x))
        print(f"  batched, f_batch = {label:27s}{batched * 1e3:8.2f} ms   "
              f"speed-up {textbook / batched:5.1f}x   same numbers: {same}")


def speedup_by_size(sizes=(10, 30, 100, 300, 1000, 2000)) -> None:
    print("speed-up of the batched gradient (einsum f_batch) by dimension n:")
    f_batch = BATCHED["np.einsum('ij,ij->i', P, P)"]
    for n in sizes:
        x = np.random.default_rng(n).normal(size=n)
        number = max(1, 3000 // n)
        textbook = best_seconds(lambda: numerical_gradient(sum_of_squares, x), number=number)
        batched = best_seconds(lambda: numerical_gradient_batch(f_batch, x), number=number * 5)
        print(f"  n = {n:5d}: loop {textbook * 1e3:8.3f} ms, batched {batched * 1e3:7.3f} ms, "
              f"{textbook / batched:5.1f}x")


def expr_gradient_at_points(m: int = 1000) -> None:
    """The vectorised path for an Expr: ∇f at m points (a gradient field) versus the textbook loop per point."""
    from gdtui.engine.expr import parse

    himmelblau = parse("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", ("x", "y"))
    points = np.random.default_rng(1).uniform(-5, 5, size=(m, 2))
    loop = best_seconds(lambda: [numerical_gradient(lambda v: float(himmelblau(*v)), p) for p in points],
                        number=1, repeat=3)
    fast = best_seconds(lambda: numerical_gradient_at(himmelblau, points), number=20)
    print(f"numerical gradient of a Himmelblau Expr at n = {m} points: textbook loop {loop * 1e3:.1f} ms, "
          f"vectorised {fast * 1e3:.3f} ms, {loop / fast:.0f}x (target ≥ 20x)")


def rosenbrock_grad(p: np.ndarray) -> np.ndarray:
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def adam_on_rosenbrock(steps: int = 10_000) -> None:
    opt = make_optimizer("adam", 0.01)

    def run():
        state = opt.init([-1.5, 2.0])
        for k in range(steps):
            state = opt.update(k, rosenbrock_grad(opt.params(state)), state)
        return opt.params(state)

    seconds = best_seconds(run, number=1, repeat=3)
    print(f"{steps} Adam steps on Rosenbrock from (-1.5, 2): {seconds * 1e3:.1f} ms "
          f"({seconds / steps * 1e6:.2f} µs/step), ends at {np.round(run(), 6)}")
    path_seconds = best_seconds(lambda: descend(rosenbrock_grad, [-1.5, 2.0], optimizer="adam", lr=0.01,
                                                steps=steps), number=1, repeat=3)
    print(f"  the same through descend (keeping the path): {path_seconds * 1e3:.1f} ms")

    from gdtui.engine.expr import parse

    rosenbrock = parse("(1-x)**2 + 100*(y-x**2)**2", ("x", "y"))
    vector = parse(f"[{rosenbrock.diff('x')}, {rosenbrock.diff('y')}]", ("x", "y"))
    at, floats = vector.point_function(), vector.float_function()
    for label, extra in (("an Expr's point_function", {}), ("+ its float_function", {"grad_floats": floats})):
        expr_seconds = best_seconds(lambda: descend(lambda p: at(*p), [-1.5, 2.0], optimizer="adam", lr=0.01,
                                                    steps=steps, **extra), number=1, repeat=3)
        print(f"  through descend, gradient from {label:26s}: {expr_seconds * 1e3:6.1f} ms "
              f"({expr_seconds / steps * 1e6:.2f} µs/step)")


def descend_overhead(steps: int = 100) -> None:
    grad = lambda p: 2 * p  # noqa: E731
    bare_x = np.array([-3.0, 4.0])

    def bare():
        x = bare_x
        for _ in range(steps):
            x = x - 0.1 * grad(x)
        return x

    bare_s = best_seconds(bare, number=200)
    for label, kwargs in [("sgd", {}), ("sgd + objective + tol", {"objective": lambda p: float(p @ p),
                                                                  "tol": 1e-300}),
                          ("adam", {"optimizer": "adam"})]:
        run_s = best_seconds(lambda: descend(grad, [-3.0, 4.0], lr=0.1, steps=steps, **kwargs), number=200)
        overhead = (run_s - bare_s) / steps
        print(f"descend {steps} steps, {label:22s}: {run_s * 1e6:7.1f} µs "
              f"(bare numpy loop {bare_s * 1e6:.1f} µs; overhead {overhead * 1e6:.2f} µs/step)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="dimension for the gradient comparison")
    args = parser.parse_args()
    expr_gradient_at_points(args.n)
    gradient_speedup(args.n)
    speedup_by_size()
    adam_on_rosenbrock()
    descend_overhead()


if __name__ == "__main__":
    main()
