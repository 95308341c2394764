"""Write tests/data/torch_reference.json: iterates of torch.optim on small problems.

Run by hand when the optimizers change (it needs PyTorch; the tests that read the file do not):

    python tests/tools/make_torch_reference.py

Each case runs 30 steps of one torch optimizer, in float64, from a fixed start, with an
optional learning-rate scheduler stepped after every optimizer step.  The gradient is
the same numpy formula the test uses, handed to torch as `param.grad`, so the comparison
isolates the update rules; autograd is checked to agree with that formula at the start.
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path

import numpy as np
import torch

STEPS = 30
OUT = Path(__file__).resolve().parents[1] / "data" / "torch_reference.json"

A = [[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]]
B = [1.0, -1.0, 0.5]
PROBLEMS = {
    # f = ½xᵀAx − bᵀx, ∇f = Ax − b
    "quadratic": {"x0": [2.0, -1.0, 3.0], "A": A, "b": B},
    # f = (1 − x)² + 100(y − x²)²
    "rosenbrock": {"x0": [-1.5, 2.0]},
}


def gradient(problem: str, x: np.ndarray) -> np.ndarray:
    if problem == "quadratic":
        return np.asarray(A) @ x - np.asarray(B)
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def objective_torch(problem: str, x: torch.Tensor) -> torch.Tensor:
    if problem == "quadratic":
        a, b = torch.tensor(A, dtype=torch.float64), torch.tensor(B, dtype=torch.float64)
        return 0.5 * x @ a @ x - b @ x
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


# (gdtui optimizer, gdtui hyper, torch class, torch kwargs, lr on quadratic, lr on rosenbrock)
CASES = [
    ("sgd", {}, "SGD", {}, 0.1, 1e-3),
    ("sgd", {"momentum": 0.8, "dampening": 0.1, "weight_decay": 0.01}, "SGD",
     {"momentum": 0.8, "dampening": 0.1, "weight_decay": 0.01}, 0.1, 1e-3),
    ("momentum", {}, "SGD", {"momentum": 0.9}, 0.05, 5e-4),
    ("nesterov", {}, "SGD", {"momentum": 0.9, "nesterov": True}, 0.05, 5e-4),
    ("nesterov", {"momentum": 0.5, "weight_decay": 0.1}, "SGD",
     {"momentum": 0.5, "nesterov": True, "weight_decay": 0.1}, 0.1, 1e-3),
    ("adagrad", {}, "Adagrad", {}, 0.5, 0.1),
    ("adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-6, "weight_decay": 0.01},
     "Adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-6, "weight_decay": 0.01},
     0.5, 0.1),
    ("rmsprop", {}, "RMSprop", {}, 0.05, 0.01),
    ("rmsprop", {"alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "centered": True, "weight_decay": 0.01},
     "RMSprop", {"alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "centered": True, "weight_decay": 0.01},
     0.02, 0.005),
    ("adam", {}, "Adam", {}, 0.1, 0.05),
    ("adam", {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True, "weight_decay": 0.01}, "Adam",
     {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True, "weight_decay": 0.01}, 0.1, 0.05),
    ("adam", {"weight_decay": 0.1, "decoupled_weight_decay": True}, "Adam",
     {"weight_decay": 0.1, "decoupled_weight_decay": True}, 0.1, 0.05),
]

# (gdtui optimizer, torch class, torch kwargs, lr, gdtui schedule, torch scheduler class, its kwargs)
SCHEDULED = [
    ("sgd", "SGD", {}, 0.1, {"name": "step", "step_size": 5, "gamma": 0.5}, "StepLR",
     {"step_size": 5, "gamma": 0.5}),
    ("adam", "Adam", {}, 0.2, {"name": "exponential", "gamma": 0.9}, "ExponentialLR", {"gamma": 0.9}),
    # T_max = STEPS: gdtui holds eta_min after T_max, torch would rise again
    ("momentum", "SGD", {"momentum": 0.9}, 0.05, {"name": "cosine", "T_max": STEPS, "eta_min": 0.001},
     "CosineAnnealingLR", {"T_max": STEPS, "eta_min": 0.001}),
]


def run_torch(problem, x0, cls, kwargs, lr, scheduler=None):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls)([x], lr=lr, foreach=False, **kwargs)
    sched = getattr(torch.optim.lr_scheduler, scheduler[0])(opt, **scheduler[1]) if scheduler else None
    xs = [x.detach().numpy().copy()]
    for _ in range(STEPS):
        opt.zero_grad()
        x.grad = torch.from_numpy(gradient(problem, x.detach().numpy().copy()))
        opt.step()
        if sched is not None:
            sched.step()
        xs.append(x.detach().numpy().copy())
    return np.array(xs)


def check_autograd(problem, x0):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    objective_torch(problem, x).backward()
    assert np.allclose(x.grad.numpy(), gradient(problem, np.array(x0)), rtol=1e-14), problem


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = []
    for problem, spec in PROBLEMS.items():
        check_autograd(problem, spec["x0"])
        for name, hyper, cls, kwargs, lr_q, lr_r in CASES:
            lr = lr_q if problem == "quadratic" else lr_r
            xs = run_torch(problem, spec["x0"], cls, kwargs, lr)
            cases.append({"problem": problem, "optimizer": name, "lr": lr, "hyper": hyper,
                          "schedule": None, "torch": f"{cls}({kwargs})", "xs": xs.tolist()})
        for name, cls, kwargs, lr, schedule, sched_cls, sched_kw in SCHEDULED:
            lr = lr if problem == "quadratic" else lr / 100
            xs = run_torch(problem, spec["x0"], cls, kwargs, lr, (sched_cls, sched_kw))
            cases.append({"problem": problem, "optimizer": name, "lr": lr, "hyper": {},
                          "schedule": schedule, "torch": f"{cls}({kwargs}) + {sched_cls}({sched_kw})",
                          "xs": xs.tolist()})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({
        "generated_by": "tests/tools/make_torch_reference.py",
        "torch_version": torch.__version__, "python": platform.python_version(), "steps": STEPS,
        "problems": PROBLEMS, "cases": cases,
    }, indent=1)
    # one point per line: collapse the innermost lists of numbers
    text = re.sub(r"\[\s*([-\d.e+,\s]+?)\s*\]", lambda m: "[" + re.sub(r"\s+", " ", m[1]) + "]", text)
    OUT.write_text(text + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
