"""Charts: matplotlib figures drawn to SVG bytes, each with alt text and a data table.

No Flask and no pyplot: every chart is a `matplotlib.figure.Figure` of its own, so charts
drawn at once in several threads share no state. Each drawing function returns a `Chart`,
which a page shows as an image with `alt_text`, beside a table of `table` under `columns`,
so the finding is there in words and numbers for anyone who cannot see the picture.

Output is deterministic: the same data gives the same SVG bytes (no date, fixed ids), so
a chart can be cached by its content and compared in tests. Text is left as SVG text rather
than drawn as outlines, so the browser shapes Arabic, Urdu and Bengali with its own fonts and
screen readers and zoom treat it as text.

Charts draw their words in English by default. Pass `translations` (anything with
`gettext(message)` and `ngettext(singular, plural, n)`, such as Flask-Babel's
`get_translations()` or `gettext.NullTranslations`) to draw them in another language; each
chart module lists the messages it uses in `MESSAGES`, for the message catalogue.
"""

from __future__ import annotations

import gettext
import io
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

# Okabe and Ito's palette, distinguishable with every common colour-vision deficiency; each
# series also differs in line style and marker so nothing relies on colour alone.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# The GOV.UK Frontend text colour and a light grid, so charts sit on service pages quietly.
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"

# Fixed ids and no creation date: the same figure always renders to the same bytes.
SVG_SETTINGS = {"svg.hashsalt": "coproduce-charts", "svg.fonttype": "none", "svg.id": "chart"}
SVG_METADATA = {"Date": None}
# rcParams and warning filters are process-wide; rendering one chart at a time keeps another
# thread's rc_context from ending in the middle of ours.
_RENDER_LOCK = threading.Lock()
# Text is never shrunk below this to make it fit (points).
MIN_FONT_SIZE = 7.5


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def english() -> Translations:
    """The messages as written (English), with English plurals."""
    return gettext.NullTranslations()


@dataclass(frozen=True)
class Chart:
    """A drawn chart: SVG bytes, the finding in words and the numbers behind it.

    `table` holds one row per data point (a tuple, or a named tuple whose fields also read
    by name); `columns` are the table's headings in the chart's language.

    `alt_text` is the whole finding in words; `lead`, its first sentence, says what the chart
    is. A page gives the image `alt` as its alt and shows `caption` (the rest) under it, so
    a screen reader hears each sentence once. A chart with no `svg` was not drawn (most of
    its figures were hidden): a page shows its `alt_text` as a sentence instead.
    """

    svg: bytes
    alt_text: str
    table: tuple[Any, ...]
    columns: tuple[str, ...] = ()
    figure: Figure | None = field(default=None, repr=False, compare=False)
    # Set by the chart cache (`app.charts.cache`): the key the chart is kept under there.
    key: str | None = field(default=None, repr=False, compare=False)
    lead: str = ""

    @property
    def drawn(self) -> bool:
        """Whether there is a picture to show (else show `alt_text` as a sentence)."""
        return bool(self.svg)

    @property
    def alt(self) -> str:
        """The image's alt: the lead when there is one, else the whole alt text."""
        return self.lead or self.alt_text

    @property
    def caption(self) -> str:
        """The words under the chart: the alt text after its lead ("" when it is all lead)."""
        if self.lead and self.alt_text.startswith(self.lead):
            return self.alt_text[len(self.lead) :].strip()
        return ""

    def png(self, dpi: int = 150) -> bytes:
        """The same chart as PNG (for PDF exports); text drawn with the server's fonts."""
        if self.figure is None:
            raise ValueError("this chart was made without its figure, or was not drawn")
        return render_png(self.figure, dpi=dpi)


@contextmanager
def _rendering() -> Iterator[None]:
    # The server's fonts may lack a script (Bengali) that the reader's browser has: the SVG
    # keeps the text as text, so a missing glyph here only affects the measuring.
    with _RENDER_LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        yield


def render_svg(figure: Figure) -> bytes:
    """The figure as SVG bytes, identical for identical figures."""
    buffer = io.BytesIO()
    with _rendering(), matplotlib.rc_context(SVG_SETTINGS):
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


def render_png(figure: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, with no timestamp or software text."""
    buffer = io.BytesIO()
    with _rendering():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def fit_inside(
    figure: Figure,
    texts: Iterable[Text],
    *,
    narrower: Callable[[str], str] | None = None,
    margin: float = 2.0,
) -> None:
    """Make each text lie inside the figure: shrink it (down to MIN_FONT_SIZE) and, when that
    is not enough, wrap it narrower with `narrower` and try again from its first size.

    For labels placed round a chart: a long word (Somali and Polish have many) would
    otherwise run off the edge of a phone-width chart. `narrower` takes a text and returns
    it wrapped more tightly, or unchanged when it cannot be.
    """
    canvas = FigureCanvasAgg(figure)
    with _rendering():
        renderer = canvas.get_renderer()
        for text in texts:
            size = text.get_fontsize()
            while not _shrink_to_fit(text, renderer, figure.bbox, margin) and narrower:
                wrapped = narrower(text.get_text())
                if wrapped == text.get_text():
                    break
                text.set_text(wrapped)
                text.set_fontsize(size)


def _shrink_to_fit(text: Text, renderer, bounds, margin: float) -> bool:
    while True:
        box = text.get_window_extent(renderer)
        if (
            box.x0 >= bounds.x0 + margin
            and box.x1 <= bounds.x1 - margin
            and box.y0 >= bounds.y0 + margin
            and box.y1 <= bounds.y1 - margin
        ):
            return True
        if text.get_fontsize() <= MIN_FONT_SIZE:
            return False
        text.set_fontsize(max(MIN_FONT_SIZE, text.get_fontsize() - 0.5))


__all__ = [
    "GRID_COLOUR",
    "OKABE_ITO",
    "TEXT_COLOUR",
    "Chart",
    "Translations",
    "english",
    "fit_inside",
    "render_png",
    "render_svg",
]
