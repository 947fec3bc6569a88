"""The one way this app makes a PDF: A4, DejaVu Sans (it has every Welsh letter, ŵ and ŷ included),
large enough type to read, a title, and tables that repeat their heading row on each new page.

Documents are built from already-translated strings, so a Welsh reader gets a Welsh sheet. Every
document is tagged with its language and title for screen readers that open PDFs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FAMILY = "DejaVu"
BODY_SIZE = 11
TITLE_SIZE = 18


class Document(FPDF):
    """An A4 page set with the house font and a footer that says "page n of m" in the reader's words."""

    def __init__(self, *, title: str, language: str, footer: str = "", body_size: float = BODY_SIZE) -> None:
        """``body_size`` in points: a statement for a member to read at home uses large print (14)."""
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.body_size = body_size
        #: Line heights and label widths grow with the type, so large print does not overlap.
        self.scale = body_size / BODY_SIZE
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang(language)
        self.set_creator("timebank")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self._footer_text = footer
        self.alias_nb_pages("{nb}")
        self.add_page()
        self.set_font(FAMILY, "B", TITLE_SIZE)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(FAMILY, "", self.body_size)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"{self._footer_text}  {self.page_no()}/{{nb}}".strip(), align="R")
        self.set_font(FAMILY, "", self.body_size)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FAMILY, "B", self.body_size + 2)
        self.multi_cell(0, 7 * self.scale, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", self.body_size)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 6 * self.scale, text, new_x="LMARGIN", new_y="NEXT")

    def facts(self, rows: Sequence[tuple[str, str]], *, label_width: float = 45) -> None:
        """Label–value lines ("Date: Saturday 6 December 2026"); ``label_width`` in mm at the house size."""
        for label, value in rows:
            self.set_font(FAMILY, "B", self.body_size)
            self.cell(label_width * self.scale, 7 * self.scale, label)
            self.set_font(FAMILY, "", self.body_size)
            self.multi_cell(0, 7 * self.scale, value, new_x="LMARGIN", new_y="NEXT")

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[int] | None = None,
        line_height: float = 9,
        align: Sequence[str] | None = None,
    ) -> None:
        """A table with a bold heading row repeated on every page. Blank cells are for writing in."""
        with self.table(
            col_widths=tuple(widths) if widths else None,
            line_height=line_height,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
            text_align=tuple(align) if align else "LEFT",
            repeat_headings=1,
        ) as table:
            table.row(list(headings))
            for values in rows:
                table.row([str(value) for value in values])

    def to_bytes(self) -> bytes:
        return bytes(self.output())
