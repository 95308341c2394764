"""gdtui: a terminal tutor for derivatives, gradients and gradient descent."""

__version__ = "0.1.0"
