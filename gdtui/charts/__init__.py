"""Charts as pure functions: (plot spec, values, width, height, theme) → Rich ``Text``.

    from gdtui.charts import ChartTheme, render_plot, status_line
    text = render_plot(plot, {"tangent_at": 0.5}, 120, 36, ChartTheme.from_env(dark=True))
    line = status_line(plot, {"tangent_at": 0.5})

``plot`` is any object with the attributes of ``gdtui.course.model.Plot`` (see ``PlotSpec``).
Engine work (parsing, derivatives, descent, grids) is cached on its inputs, so a redraw after one
control changes recomputes only what that control feeds. ``compute`` exposes the shared results
(for instance ``compute(plot, values).last_step`` to know when playing should stop); ``playable(plot)``
says whether a chart has steps to play at all (a descent path, a race, a loss curve, a regression fit).
The value ``guess`` (set by an exercise, see ``gdtui.course.chart_link``) is the learner's answer, drawn as
its own marker: on the curve of f at x = guess in 1-D, at the point (x, y) in 2-D.
"""

from .data import ChartData, ChartInputError, PlotSpec, compute, playable
from .render import MIN_HEIGHT, MIN_WIDTH, render_plot
from .status import status_line
from .theme import RACE_MARKERS, ChartTheme

__all__ = ["ChartData", "ChartInputError", "ChartTheme", "MIN_HEIGHT", "MIN_WIDTH", "PlotSpec",
           "RACE_MARKERS", "compute", "playable", "render_plot", "status_line"]
