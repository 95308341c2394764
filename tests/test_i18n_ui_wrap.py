"""Wrapping measured in terminal cells: Chinese objectives lose no character on the map, wrapped bullets hang
under their own text, and no line is wider than its cells (a Chinese character takes two)."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from gdtui.ui.widgets.objectives import objectives
from gdtui.ui.widgets.lesson_list import INDENT, LessonEntry, lesson_card
from gdtui.ui.wrap import line_spans, wrap_cells

ZH = ("亲手按更新公式 x ← x − η f′(x) 一步一步地计算，体会每一步为什么朝着函数值变小的方向移动",
      "解释为什么学习率 η 不变，步子在极小值附近却越来越小")
EN = ("apply the update x ← x − η f′(x) by hand, one step at a time",
      "explain why the steps shrink near the minimum although η stays fixed")
CLOSING = "，。、；：？！）》」』】”’"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


words = st.lists(st.one_of(
    st.text(alphabet="学习率梯度下降导数函数极小值", min_size=1, max_size=12),
    st.text(alphabet="abcxyz0123456789", min_size=1, max_size=14),
    st.sampled_from(["，", "。", "（", "）", "：", "x²", "f′(x)", "η", "·", "“重点”"]),
), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(words, st.lists(st.sampled_from([" ", ""]), min_size=30, max_size=30), st.integers(2, 60))
def test_wrapping_keeps_every_character_and_fits_the_cells(pieces, gaps, width):
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps)).strip()
    spans = line_spans(text, width)
    lines = [text[a:b] for a, b in spans]
    assert squeeze("".join(lines)) == squeeze(text)  # only spaces at a break are dropped
    for line in lines:
        assert cell_len(line) <= width or len(line) == 1  # one wide character on a one-cell line still shows
        assert line == line.strip()
    for start, _end in spans[1:]:  # punctuation that closes the character before it stays on its line …
        if text[start] in CLOSING and not text[start - 1].isspace():
            first = start
            while first > 0 and text[first - 1] in CLOSING:
                first -= 1
            last = start
            while last < len(text) and text[last] in CLOSING:
                last += 1
            if first == 0 or text[first - 1].isspace():
                continue  # marks that close nothing (the text starts with them, or a space comes before)
            word = first - 1  # the character closed, or the whole Latin word it ends
            while cell_len(text[word]) == 1 and word > 0 and not text[word - 1].isspace() \
                    and cell_len(text[word - 1]) == 1:
                word -= 1
            assert cell_len(text[word:last]) > width  # … unless that word and its marks outgrow a line


def test_chinese_breaks_between_characters_and_english_between_words():
    lines = [line.plain for line in wrap_cells(Text(ZH[0]), 30)]
    assert lines == ["亲手按更新公式 x ← x − η f′(x)", "一步一步地计算，体会每一步为什", "么朝着函数值变小的方向移动"]
    english = [line.plain for line in wrap_cells(Text(EN[0]), 30)]
    assert english == ["apply the update x ← x − η", "f′(x) by hand, one step at a", "time"]


def test_the_map_shows_every_character_of_chinese_objectives():
    entry = LessonEntry("descent-1d", 7, "一维梯度下降", ZH, "new", 0, 4)
    for width in (60, 76, 116):
        card = lesson_card(entry, width, expanded=True).plain.splitlines()
        assert all(cell_len(line) <= width for line in card)
        assert all(line.startswith(" " * INDENT) for line in card[1:])
        assert squeeze("".join(card[1:])) == squeeze(" · ".join(ZH))


def render(renderable, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue().splitlines()


def test_wrapped_bullets_hang_under_their_text_in_both_languages():
    for goals in (ZH, EN):
        for width in (40, 76, 116):
            lines = render(objectives(goals), width)
            assert all(cell_len(line) <= width for line in lines)
            bullets = [i for i, line in enumerate(lines) if line.startswith("  • ")]
            assert len(bullets) == len(goals)
            for line in lines[1:]:
                assert line.startswith("  • ") or line.startswith("    ") and not line[4].isspace()
            assert squeeze("".join(lines[1:]).replace("•", "")) == squeeze("".join(goals))


PARAGRAPH = ("普通的梯度下降 x ← x − η ∇f(x) 有三个弱点，前面几课都见过。第一，它在狭长的山谷里来回走之字形。"
             "第二，在坡度平缓的地方，比如鞍点附近或平台上，它走得很慢。第三，一个学习率要同时照顾所有方向。")


def test_lesson_paragraphs_break_between_chinese_characters():
    """Textual's Content (the Markdown widget's paragraphs) and Rich's Text (the exercise panel) wrap a run of
    Chinese at any character once the app has switched them to cell wrapping: no half-empty lines."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.text import Text
    from textual.content import Content

    from gdtui.ui.wrap import use_cell_wrapping

    use_cell_wrapping()
    for width in (30, 47, 76):
        textual_lines = [line.plain.rstrip() for line in Content(PARAGRAPH).wrap(width)]
        rich_lines = [line.plain.rstrip() for line in Text(PARAGRAPH).wrap(Console(width=200), width)]
        for lines in (textual_lines, rich_lines):
            assert "".join(lines).replace(" ", "") == PARAGRAPH.replace(" ", "")  # nothing lost
            assert all(cell_len(line) <= width for line in lines)
            assert all(cell_len(line) >= width - 4 for line in lines[:-1]), lines  # full lines, not ragged
            assert not any(line.startswith(("，", "。")) for line in lines)


def test_english_wraps_exactly_as_rich_wraps_it():
    from rich._wrap import divide_line as rich_divide

    from gdtui.ui.wrap import divide_line

    text = "The slope of a square is twice the point: at x = 3 it is 6, and the tangent there rises six for one."
    for width in (10, 20, 33, 80):
        assert divide_line(text, width) == rich_divide(text, width)
