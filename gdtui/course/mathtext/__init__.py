"""LaTeX-ish maths in lesson prose, turned into readable Unicode for a terminal.

``to_unicode(r"x_{t+1} = x_t - \\eta \\nabla f(x_t)")`` gives ``xₜ₊₁ = xₜ − η∇f(xₜ)``. Four parts, each
importing only those before it:

- `symbols`: what each command and character stands for, and its TeX atom class;
- `nodes` and `layout`: the tree of a formula, laid out as text boxes, so display maths can stack a
  fraction, the limits of a sum or a matrix over several lines;
- `reader`: the tokenizer and recursive-descent parser (braces, scripts, ``\\frac``, environments) and
  `convert`, which reads one formula and lays it out; unknown commands keep their name, no input raises;
- `prose`: ``render_prose`` converts every ``$…$`` and ``$$…$$`` of a markdown text and leaves code alone.

No Textual or rich here.
"""

from .prose import render_prose
from .reader import convert, to_unicode

__all__ = ["convert", "render_prose", "to_unicode"]
