"""The names a chart shows for methods and optimizers, in the learner's language.

The keys are the engine's own names (data, kept in English: a plot's YAML and the status line's parts
are matched on them); what a chart prints is ``method_name(key)``. Optimizer names stay in Latin letters
(glossary: AdaGrad, RMSProp, Adam), except the ones that are words.
"""

from __future__ import annotations

from gdtui.i18n import pgettext


def method_name(method: str) -> str:
    """The word a chart shows for a finite difference, a regression method or an optimizer ("" stays "")."""
    names = {
        "forward": pgettext("finite difference", "forward"),
        "central": pgettext("finite difference", "central"),
        "backward": pgettext("finite difference", "backward"),
        "batch": pgettext("gradient descent method", "batch"),
        "stochastic": pgettext("gradient descent method", "stochastic"),
        "minibatch": pgettext("gradient descent method", "minibatch"),
        "momentum": pgettext("optimizer", "momentum"),
        "nesterov": pgettext("optimizer", "nesterov"),
    }
    return names.get(method, method)
