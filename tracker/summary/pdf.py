"""The clinician summary as a one-page PDF, drawn on the server with fpdf2 (pure Python, installs with pip)."""

import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tracker.summary.report import Summary, figure_rows

PAGE_WIDTH = 180  # A4 less 15 mm margins
LINE = 4.6
# The PDF's built-in Helvetica speaks Latin-1: common typography is mapped, anything else loses its accents or
# becomes "?", so a note in another script still makes a PDF (the page and the exports keep the text as typed).
PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def latin(text: str) -> str:
    return "".join(_latin_char(c) for c in text.translate(PLAIN))


def _latin_char(char: str) -> str:
    if ord(char) < 256:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(ord(c) < 256 for c in base) else "?"


class Page(FPDF):
    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.set_font("Helvetica", "B", 10)
        self.cell(0, 5.5, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 9)

    def para(self, text: str, size: float = 9) -> None:
        self.set_font("Helvetica", "", size)
        self.multi_cell(0, LINE, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: list[str], empty: str) -> None:
        if not lines:
            self.para(empty)
        for line in lines:
            self.para(f"- {line}")


def _chart(pdf: Page, summary: Summary) -> None:
    x0, y0, width, height = pdf.get_x() + 8, pdf.get_y() + 2, PAGE_WIDTH - 8, 26
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + height, x0 + width, y0 + height)
    pdf.text(x0 - 7, y0 + 2, str(max(summary.top_week, 1)))
    pdf.text(x0 - 4, y0 + height, "0")
    pdf.set_fill_color(60, 60, 60)
    for bar in summary.bars(labels=12):
        if bar.height:
            x, tall = x0 + width * bar.left, height * bar.height
            pdf.rect(x, y0 + height - tall, width * bar.width, tall, style="F")
        if bar.label:
            pdf.text(x0 + width * bar.left, y0 + height + 3.5, latin(bar.label))
    pdf.set_y(y0 + height + 6)


CELL_W, CELL_H = 6.2, 4.2  # one night of the calendar, in mm


def _calendar(pdf: Page, summary: Summary) -> None:
    """The period's months side by side: the number of cramps each night (boxed in bold when the worst was 7 or
    more), 0 for a night checked in without cramps, "-" for a night not logged, blank outside the period."""
    if summary.months_left_out:
        pdf.para(f"The last {len(summary.months)} months; {summary.months_left_out} earlier not shown.", 7.5)
    x0, y0 = pdf.get_x(), pdf.get_y()
    tallest = 0.0
    for position, month in enumerate(summary.months):
        left = x0 + position * (7 * CELL_W + 6)
        pdf.set_font("Helvetica", "B", 7.5)
        pdf.text(left, y0 + 3, f"{month.first:%B %Y}")
        pdf.set_font("Helvetica", "", 6.5)
        for column, (short, _) in enumerate(month.weekdays):
            pdf.text(left + column * CELL_W + 2, y0 + 6.5, short)
        for row, week in enumerate(month.weeks):
            for column, night in enumerate(week):
                if night is None:
                    continue
                x, y = left + column * CELL_W, y0 + 7.5 + row * CELL_H
                mark = {"cramps": str(night.count), "none": "0", "unlogged": "-"}.get(night.state, "")
                if night.band == "severe":
                    pdf.set_font("Helvetica", "B", 7)
                    pdf.rect(x + 0.6, y + 0.3, CELL_W - 1.2, CELL_H - 0.6)
                else:
                    pdf.set_font("Helvetica", "B" if night.state == "cramps" else "", 7)
                pdf.set_xy(x, y)
                pdf.cell(CELL_W, CELL_H, mark, align="C")
        tallest = max(tallest, 7.5 + len(month.weeks) * CELL_H)
    pdf.set_xy(x0, y0 + tallest + 1)
    pdf.para(
        "Number: cramps that night (boxed: worst 7 or more). 0: checked in, no cramps. -: not logged. "
        "Weeks start on Monday; nights run noon to noon.",
        7,
    )


def summary_pdf(summary: Summary) -> bytes:
    pdf = Page(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(15, 12, 15)
    pdf.set_title("Leg cramp diary summary")
    pdf.set_creator("Cramp Diary")
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, "Leg cramp diary summary", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    who = []
    if summary.name:
        who.append(f"Name: {summary.name}")
    if summary.birth_date:
        who.append(f"Date of birth: {summary.birth_date:%d %b %Y}")
    period = f"{summary.first:%d %b %Y} to {summary.last:%d %b %Y} ({summary.days} days)"
    pdf.para("   ".join([*who, f"Period: {period}"]), 9.5)
    pdf.para(f"Patient-reported diary, made {summary.made:%d %b %Y %H:%M}. Nights run noon to noon.", 8)

    pdf.heading("Cramps")
    rows = figure_rows(summary)
    baseline = summary.baseline
    headers = ["", "This period"] + (
        [f"First 2 weeks ({baseline.first:%d %b} to {baseline.last:%d %b})"] if baseline else []
    )
    widths = [60, 40, 70]
    pdf.set_font("Helvetica", "B", 8.5)
    for text, w in zip(headers, widths, strict=False):
        pdf.cell(w, LINE + 0.6, latin(text), border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 8.5)
    for label, now, before in rows:
        pdf.cell(widths[0], LINE, latin(label))
        pdf.cell(widths[1], LINE, latin(now))
        if baseline:
            pdf.cell(widths[2], LINE, latin(before or ""))
        pdf.ln()
    if summary.baseline_note:
        pdf.para(summary.baseline_note, 8)

    pdf.heading(f"Cramps per {summary.week_unit}")
    _chart(pdf, summary)

    if summary.months:
        pdf.heading("Nights")
        _calendar(pdf, summary)

    pdf.heading("Muscles and sides")
    pdf.para(
        "; ".join(f"{where}: {count}" for where, count in summary.muscles) or "No cramps in this period."
    )

    pdf.heading("Warning signs logged")
    pdf.bullets([f"{s.day:%d %b %Y}: {s.signs}" for s in summary.warning_signs], "No warning signs logged.")

    pdf.heading("See-a-clinician prompts raised")
    pdf.bullets(
        [f"{p.level_label} - {p.rule.title}. {p.detail}" for p in summary.prompts], "No prompts raised."
    )

    pdf.heading("Medicines and supplements in the period (* documented as linked with cramps)")
    pdf.bullets(
        [
            f"{'* ' if m.linked else ''}{m.name}{f', {m.dose}' if m.dose else ''} ({m.kind.lower()})"
            + (f", {m.linked}" if m.linked else "")
            for m in summary.medicines
        ],
        "None listed.",
    )

    pdf.heading("Fluid, exercise and meals")
    if summary.fluid_average:
        fluid = (
            f"Fluid: {summary.fluid_average} a day on average over {summary.fluid_days} days with drinks logged "
            f"(target {summary.fluid_target}; reached on {summary.fluid_days_at_target} days)."
        )
    else:
        fluid = "Fluid: no drinks logged."
    pdf.para(fluid)
    pdf.para(
        f"Exercise: {summary.exercise_per_week:g} minutes a week on average; {summary.exercise_days} days with "
        f"exercise, {summary.vigorous_days} vigorous."
    )
    if summary.meals:
        shares = ", ".join(f"{group} {share}%" for group, share in summary.nutrient_shares)
        pdf.para(f"Meals: {summary.meals} logged. Share with a food rich in: {shares}.")
    else:
        pdf.para("Meals: none logged.")

    if summary.notes:
        pdf.heading("Notes chosen by the person")
        pdf.bullets([f"{n.at:%d %b %H:%M}: {n.notes}" for n in summary.notes], "")

    pdf.ln(2)
    pdf.para(
        "Kept by the person in Cramp Diary. General information, not a diagnosis. Intensity is self-rated "
        "from 0 (none) to 10 (worst).",
        7.5,
    )
    return bytes(pdf.output())
