"""A computational graph drawn in the terminal: inputs on the left, the output on the right, values forward
(▸) and gradients back (◂), stepped node by node.

    x       ──┬──▸ a = x·y ──────╮
    ▸ 2       │    ▸ 6           ├──▸ f = a + b
    ◂ 2.58    │    ◂ 1           │    ▸ 6.91
    y       ──╯                  │    ◂ 1
    …

Columns are the graph's ranks (how many operations lie below a node); each node is three lines (what it
is, its value, its gradient ∂f/∂node) and shows its numbers only once the walk has reached them. Edges are
drawn first on a grid of directions, so where two meet the right junction (┬ ┤ ┼ …) appears, and the
nodes are written over them. `describe_step` says in one line what step k does, with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style

from gdtui.engine.graph import Graph, GraphNode, known_at, steps
from gdtui.i18n import _

from . import fmt
from .base import Box, Ctx
from .canvas import Canvas

NODE_ROWS = 3
VALUE, GRAD, ARROW = "▸ ", "◂ ", "▸"
# directions a cell's line goes (up, down, left, right) -> the box-drawing character
JOINS = {
    frozenset("lr"): "─", frozenset("ud"): "│", frozenset("rd"): "╭", frozenset("ld"): "╮",
    frozenset("ur"): "╰", frozenset("ul"): "╯", frozenset("lrd"): "┬", frozenset("lru"): "┴",
    frozenset("udr"): "├", frozenset("udl"): "┤", frozenset("udlr"): "┼", frozenset("l"): "─",
    frozenset("r"): "─", frozenset("u"): "│", frozenset("d"): "│",
}


@dataclass(frozen=True)
class GraphStyles:
    edge: Style
    text: Style
    value: Style
    grad: Style
    current: Style
    muted: Style


def draw_graph(canvas: Canvas, top: int, left: int, height: int, width: int, graph: Graph, k: int,
               styles: GraphStyles) -> bool:
    """Draw the graph after step k into the box; False (nothing drawn) when the box is too small."""
    places = _layout(graph, top, left, height, width)
    if places is None:
        return False
    values, grads = known_at(graph, k)
    current = _current(graph, k)
    _edges(canvas, graph, places, styles.edge)
    for node in graph.nodes:
        row, col, room = places[node.index]
        style = styles.current if node.index == current else styles.text
        canvas.put(row, col, _fit(node.formula, room), style)
        if node.index in values:
            canvas.put(row + 1, col, _number(VALUE, node.value, room), styles.value)
        if node.index in grads and not node.is_number:
            canvas.put(row + 2, col, _number(GRAD, node.grad, room), styles.grad)
    return True


def graph_panel(ctx: Ctx, box: Box) -> None:
    """The chart's one panel: the graph of f after step k, its legend saying what ▸ and ◂ are."""
    styles = GraphStyles(edge=ctx.style("axis"), text=ctx.style("label"), value=ctx.style("series", 0),
                         grad=ctx.style("series", 1), current=ctx.style("highlight"), muted=ctx.style("muted"))
    ctx.add_legend(VALUE.strip(), styles.value, _("value, computed forward"), _("value"), keep=1)
    ctx.add_legend(GRAD.strip(), styles.grad, _("∂f/∂node, passed backward"), _("∂f/∂node"), keep=1)
    if not draw_graph(ctx.canvas, box.row, box.col, box.height, box.width, ctx.data.graph, ctx.data.step, styles):
        text = _("widen the terminal to see this graph")
        ctx.canvas.put(box.row + box.height // 2, box.col + max(0, (box.width - cell_len(text)) // 2), text,
                       ctx.style("muted"))


def describe_step(graph: Graph, k: int) -> list[str]:
    """What step k of the walk does, in words and numbers: the parts of the chart's status line (a narrow
    screen wraps between parts, never inside one)."""
    walk = steps(graph)
    k = max(0, min(k, len(walk) - 1))
    step = walk[k]
    ops = len(graph.operations)
    if step.direction == "start":
        inputs = [f"{n.name} = {fmt.num(n.value)}" for n in graph.nodes if n.is_input and not n.is_number]
        return [_("k = 0 of {n}: the inputs").format(n=2 * ops), *inputs, _("→ computes forward")]
    node = graph.nodes[step.node]
    if step.direction == "forward":
        said = _("forward {k}/{n}: {formula} = {value}")
        return [said.format(k=k, n=ops, formula=node.formula, value=fmt.num(node.value))]
    said = _("backward {k}/{n}: {name} sends back ∂f/∂{name} = {value}")
    parts = [said.format(k=k - ops, n=ops, name=node.name, value=fmt.num(node.grad))]
    for i, local in zip(node.inputs, node.local):
        source = graph.nodes[i]
        if not source.is_number:
            factor = fmt.num(local)
            parts.append(f"∂f/∂{source.name} += {fmt.num(node.grad)}·{f'({factor})' if local < 0 else factor}")
    return parts


def last_step(graph: Graph) -> int:
    return 2 * len(graph.operations)


def _current(graph: Graph, k: int) -> int | None:
    walk = steps(graph)
    return walk[max(0, min(k, len(walk) - 1))].node


def columns(graph: Graph) -> dict[int, int]:
    """The column of each node: an operation right of its inputs (its rank); an input just left of the
    first operation that uses it, so a bias or a target joins the graph where it is needed."""
    where = {n.index: n.rank for n in graph.nodes if not n.is_input}
    for node in graph.nodes:
        if node.is_input:
            users = [where[u] for u in graph.consumers(node.index)]
            where[node.index] = max(0, min(users, default=1) - 1)
    return where


def _layout(graph: Graph, top: int, left: int, height: int, width: int) -> dict[int, tuple[int, int, int]] | None:
    """(row, col, room) of each node: columns left to right, a column's nodes spread evenly down the box,
    and room on each column's left for the lanes of the edges coming in."""
    column_of = columns(graph)
    count = max(column_of.values()) + 1
    column = width // count
    stacks: dict[int, list[GraphNode]] = {}
    for node in graph.nodes:
        stacks.setdefault(column_of[node.index], []).append(node)
    lanes = _lanes(graph, column_of)
    if max(len(v) for v in stacks.values()) * (NODE_ROWS + 1) - 1 > height - 2:
        return None
    places = {}
    for c, nodes in stacks.items():
        # every other column two rows lower: an edge leaving a node never runs along the row another edge
        # enters by, so two lines never merge into one that reads as a wrong connection
        shift = 2 if c % 2 else 0
        slot = (height - 2) / len(nodes)
        gutter = len(lanes.get(c, ())) + 1 if c else 0
        if column - gutter - 1 < 7:
            return None
        for i, node in enumerate(nodes):
            row = top + shift + int(i * slot + max(0.0, (slot - NODE_ROWS) / 2))
            places[node.index] = (row, left + c * column + gutter, column - gutter - 1)
    return places


def _lanes(graph: Graph, column_of: dict[int, int]) -> dict[int, list[int]]:
    """For each column, the sources whose edges come into it: each gets its own vertical lane, so two
    sources never share a line (one source feeding two nodes branches off its own lane)."""
    lanes: dict[int, list[int]] = {}
    for node in graph.nodes:
        for source in node.inputs:
            into = lanes.setdefault(column_of[node.index], [])
            if source not in into:
                into.append(source)
    return lanes


def _edges(canvas: Canvas, graph: Graph, places: dict, style: Style) -> None:
    cells: dict[tuple[int, int], set[str]] = {}
    column_of = columns(graph)
    lanes = _lanes(graph, column_of)

    def mark(row: int, col: int, *ways: str) -> None:
        cells.setdefault((row, col), set()).update(ways)

    for node in graph.nodes:
        if node.is_input:
            continue
        row_t, col_t, _ = places[node.index]
        into = lanes[column_of[node.index]]
        for source in dict.fromkeys(node.inputs):  # x·x draws one edge
            row_s, col_s, room = places[source]
            lane = col_t - 2 - (len(into) - 1 - into.index(source))
            start = col_s + min(len(graph.nodes[source].formula), room) + 1
            for col in range(start, lane):
                mark(row_s, col, "l", "r")
            for col in range(lane + 1, col_t - 1):
                mark(row_t, col, "l", "r")
            if row_s == row_t:
                mark(row_s, lane, "l", "r")
                continue
            mark(row_s, lane, "l", "d" if row_t > row_s else "u")
            for row in range(min(row_s, row_t) + 1, max(row_s, row_t)):
                mark(row, lane, "u", "d")
            mark(row_t, lane, "r", "u" if row_t > row_s else "d")
        canvas.put(row_t, col_t - 1, ARROW, style)
    for (row, col), ways in cells.items():
        if canvas.chars[row, col] == " ":
            canvas.put(row, col, JOINS[frozenset(ways)], style)


def _fit(text: str, room: int) -> str:
    """A formula shortened with … when its column is narrow (its numbers are on the lines below)."""
    if len(text) <= room:
        return text
    return text[: max(0, room - 1)] + "…"


def _number(mark: str, value: float, room: int) -> str:
    """A number whole, with fewer digits if need be, or only its mark: never the first digits of one."""
    for digits in (4, 3, 2):
        text = mark + fmt.num(value, digits)
        if len(text) <= room:
            return text
    return mark.strip()
