"""The clinician summary as a one-page PDF, drawn on the server with fpdf2 (pure Python, installs with pip)."""

import unicodedata

from django.conf import settings
from django.urls import reverse
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tracker.summary.report import (
    DISCLAIMER,
    SOURCES_NOTE,
    Summary,
    covers,
    day_words,
    figure_rows,
    key_figures,
)

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
    scale = 1.0  # text below the three numbers is set at this share of its size, so a busy summary keeps to a page

    def heading(self, text: str) -> None:
        self.ln(1)
        self.set_font("Helvetica", "B", 10 * self.scale)
        self.cell(0, 5 * self.scale, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, size: float = 9) -> None:
        size *= self.scale
        self.set_font("Helvetica", "", size)
        self.multi_cell(0, size * 0.45, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: list[str], empty: str) -> None:
        if not lines:
            self.para(empty)
        for line in lines:
            self.para(f"- {line}", 8.5)


def _chart(pdf: Page, summary: Summary) -> None:
    """The weekly chart: bars on a value axis with its title and whole-number ticks, a label under every few
    bars, and the key saying which nights a bar covers (weeks end with the period's last night)."""
    left = pdf.get_x()
    x0, y0, width, height = left + 14, pdf.get_y() + 2, PAGE_WIDTH - 14, 22
    top = max(summary.top_week, 1)
    pdf.set_font("Helvetica", "", 6.5)
    with pdf.rotation(90, left + 3, y0 + height / 2):
        title = "Cramps"
        pdf.text(left + 3 - pdf.get_string_width(title) / 2, y0 + height / 2, title)
    for tick in summary.axis_ticks:
        y = y0 + height * (1 - tick / top)
        pdf.set_draw_color(215, 215, 215)
        pdf.line(x0, y, x0 + width, y)
        label = str(tick)
        pdf.text(x0 - 1.5 - pdf.get_string_width(label), y + 1, label)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0, x0, y0 + height)
    pdf.line(x0, y0 + height, x0 + width, y0 + height)
    pdf.set_fill_color(60, 60, 60)
    for bar in summary.bars(labels=10):
        if bar.height:
            x, tall = x0 + width * bar.left, height * bar.height
            pdf.rect(x, y0 + height - tall, width * bar.width, tall, style="F")
        if bar.label:
            pdf.text(x0 + width * bar.left, y0 + height + 3.5, latin(bar.label))
    pdf.set_xy(left, y0 + height + 5)
    if len(summary.weeks) <= 16:  # each bar's count and the logged nights it is over, as on the page
        pdf.para("; ".join(week.said for week in summary.weeks) + ".", 7)
    pdf.para(summary.week_key, 7)


CELL_W, CELL_H = 8.0, 5.6  # one night of the calendar, in mm
MONTH_GAP = 4.0
MARKS = {"none": "0", "unlogged": "-"}


def _calendar(pdf: Page, summary: Summary) -> None:
    """The period's months side by side, each a real month grid, Monday first: every night's date in the corner
    of its cell, and the number of cramps that night (boxed when the worst was 7 or more), 0 for a night checked
    in without cramps, "-" for a night not logged; outside the period, the cell stays empty."""
    if summary.months_left_out:
        pdf.para(f"The last {len(summary.months)} months; {summary.months_left_out} earlier not shown.", 7.5)
    x0, y0 = pdf.get_x(), pdf.get_y()
    tallest = 0.0
    for position, month in enumerate(summary.months):
        left = x0 + position * (7 * CELL_W + MONTH_GAP)
        pdf.set_font("Helvetica", "B", 7.5)
        pdf.text(left, y0 + 3, f"{month.first:%B %Y}")
        pdf.set_font("Helvetica", "", 6)
        for column, (short, _) in enumerate(month.weekdays):
            pdf.text(left + column * CELL_W + CELL_W / 2 - pdf.get_string_width(short) / 2, y0 + 6.5, short)
        for row, week in enumerate(month.weeks):
            for column, night in enumerate(week):
                if night is None:
                    continue
                x, y = left + column * CELL_W, y0 + 7.5 + row * CELL_H
                pdf.set_draw_color(190, 190, 190)
                pdf.rect(x, y, CELL_W, CELL_H)
                pdf.set_font("Helvetica", "", 4.8)
                pdf.set_text_color(110, 110, 110)
                pdf.text(x + 0.6, y + 1.9, str(night.day.day))
                pdf.set_text_color(0, 0, 0)
                mark = str(night.count) if night.state == "cramps" else MARKS.get(night.state, "")
                if not mark:
                    continue
                if night.band == "severe":
                    pdf.set_draw_color(0, 0, 0)
                    pdf.rect(x + CELL_W - 4.6, y + 1.6, 4.0, CELL_H - 2.0)
                pdf.set_font("Helvetica", "B" if night.state == "cramps" else "", 7)
                pdf.set_xy(x + CELL_W - 4.6, y + 1.6)
                pdf.cell(4.0, CELL_H - 2.0, mark, align="C")
        tallest = max(tallest, 7.5 + len(month.weeks) * CELL_H)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_xy(x0, y0 + tallest + 1)
    pdf.para(
        "Small number: the date. Bold number: cramps that night (boxed: worst 7 or more). 0: checked in, no "
        "cramps. -: not logged. Empty: outside the period or not over yet. Weeks start on Monday; nights run "
        "noon to noon.",
        7,
    )


PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}  # mm


def _key_figures(pdf: Page, summary: Summary) -> None:
    """The three numbers side by side, each with what it is counted over and, when asked for, the start."""
    figures = key_figures(summary)
    width = PAGE_WIDTH / len(figures)
    x0, y0 = pdf.get_x(), pdf.get_y()
    for position, figure in enumerate(figures):
        x = x0 + position * width
        pdf.set_xy(x, y0)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(width, 4, latin(figure.label))
        pdf.set_xy(x, y0 + 4)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(width, 7, latin(figure.now))
        pdf.set_xy(x, y0 + 11)
        pdf.set_font("Helvetica", "", 7.5)
        pdf.cell(width, 3.6, latin(figure.detail))
        if figure.before is not None:
            pdf.set_xy(x, y0 + 14.6)
            pdf.cell(width, 3.6, latin(f"At the start: {figure.before}"))
    pdf.set_xy(x0, y0 + (19 if summary.baseline else 15.5))
    if summary.baseline:
        b = summary.baseline
        pdf.para(
            f'"At the start": {summary.baseline_words} ({b.kept} of {b.days} nights logged), as on Trends.',
            7.5,
        )
    elif summary.baseline_note:
        pdf.para(summary.baseline_note, 7.5)


def _experiment(pdf: Page, summary: Summary) -> None:
    x = summary.experiment
    assert x is not None
    pdf.heading(f"Personal experiment: {x.change}")
    state = ""
    if x.stopped_on:
        state = f" Stopped early on {day_words(x.stopped_on)}."
    elif x.state in ("running", "paused") and x.through:
        state = f" Still under way: counted up to {day_words(x.through)}."
    pdf.para(
        f"Alternating blocks of {x.block_days} nights, change against usual routine, {x.pairs} pairs planned "
        f"({x.planned_nights} nights) from {day_words(x.start)}; order drawn at random: {x.order}.{state}",
        8,
    )
    blocks = "; ".join(
        f"{b.number} {b.condition} {b.first.day} {b.first:%b}-{b.last.day} {b.last:%b}: "
        f"{b.nights_logged}/{b.nights_passed} logged, "
        f"{b.cramps} cramps" + (f", done {b.nights_done}" if b.nights_done is not None else "")
        for b in x.blocks
    )
    if blocks:
        pdf.para(f"Blocks: {blocks}.", 7.5)
    adherence = f" Change done on {x.done} of {x.change_passed} change nights." if x.change_passed else ""
    pdf.para(
        f"Nights analysed: {x.change_nights} with the change ({x.change_cramps} cramps, {x.change_per_night} a "
        f"night), {x.usual_nights} usual ({x.usual_cramps} cramps, {x.usual_per_night} a night); "
        f"{x.nights_not_logged} not logged, left out.{adherence} Rate ratio (change / usual): "
        f"{x.ratio or 'not available'}. {x.verdict}",
        8,
    )
    pdf.para(x.method, 7)


SCALES = (1.0, 0.92, 0.85, 0.78, 0.74)
NOTES_ON_PAPER = 12


def summary_pdf(summary: Summary, paper: str = "A4") -> bytes:
    """One page, on A4 or US Letter: who and when, the three numbers, the chart and the nights, warning signs,
    prompts and medicines, the experiment, then the rest. A summary too full for a page is set again in smaller
    type, down to 74%."""
    for scale in SCALES:
        pdf = _draw(summary, paper, scale)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _draw(summary: Summary, paper: str, scale: float) -> Page:
    pdf = Page(orientation="P", unit="mm", format=PAPERS[paper])
    pdf.scale = scale
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.set_margins(15, 10, 15)
    pdf.set_title("Leg cramp diary summary")
    pdf.set_creator("Cramp Diary")
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 7, "Leg cramp diary summary", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 10)
    born = day_words(summary.birth_date) if summary.birth_date else "not given"
    pdf.cell(
        0,
        5,
        latin(f"Name: {summary.name or 'not given'}    Date of birth: {born}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    kept = f"    Diary kept for {summary.diary_length}" if summary.has_diary else ""
    pdf.cell(
        0,
        5,
        latin(f"Period: {summary.period_words}{kept}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if summary.period_before_diary:
        pdf.para(
            f"The diary began {summary.period_before_diary} days into this period: the figures cover the "
            f"{summary.now.kept} logged nights since.",
            8,
        )
    pdf.para(
        f"Patient-reported diary, made {summary.made_words}. {covers(summary)} Intensity self-rated 0-10.",
        7.5,
    )
    pdf.ln(1)
    _key_figures(pdf, summary)

    pdf.heading(summary.chart_title)
    _chart(pdf, summary)

    if summary.months:
        pdf.heading("Nights")
        _calendar(pdf, summary)

    pdf.heading("Warning signs reported")
    pdf.bullets(
        [
            f"{s.sign}: {s.count} cramp{'s' if s.count != 1 else ''}, "
            + (
                f"on {day_words(s.first)}"
                if s.count == 1
                else f"first {day_words(s.first)}, last {day_words(s.last)}"
            )
            for s in summary.warning_signs
        ],
        "No warning signs reported in this period.",
    )

    pdf.heading("Prompts raised by the diary")
    pdf.bullets(
        [f"{f.title}. {f.text} {f.advised}." for f in summary.findings],
        "None as of the end of the period.",
    )

    pdf.heading("Medicines and supplements listed")
    lines = [m.line for m in summary.medicines]
    if summary.medicines_more:
        lines.append(f"and {summary.medicines_more} more")
    pdf.bullets(lines, "None listed.")
    if summary.medicines:
        pdf.para(SOURCES_NOTE, 7)

    if summary.experiment:
        _experiment(pdf, summary)

    pdf.heading("More figures")
    rows = figure_rows(summary)
    text = "; ".join(
        f"{label}: {now}" + (f", at the start {before}" if before else "") for label, now, before in rows
    )
    pdf.para(text + ".", 8)
    pdf.para(
        "Muscles and sides: "
        + ("; ".join(f"{where}: {count}" for where, count in summary.muscles) or "none."),
        8,
    )
    if summary.fluid_average:
        fluid = (
            f"Fluid: {summary.fluid_average} a day on average over {summary.fluid_days} days with drinks logged "
            f"(target {summary.fluid_target}; reached on {summary.fluid_days_at_target})."
        )
    else:
        fluid = "Fluid: no drinks logged."
    exercise = (
        f"Exercise: {summary.exercise_per_week:g} minutes a week; {summary.exercise_days} days with exercise, "
        f"{summary.vigorous_days} vigorous."
    )
    if summary.meals:
        shares = ", ".join(f"{group} {share}%" for group, share in summary.nutrient_shares)
        meals = f"Meals: {summary.meals} logged; share with a food rich in: {shares}."
    else:
        meals = "Meals: none logged."
    pdf.para(f"{fluid} {exercise} {meals}", 8)

    if summary.notes:
        pdf.heading("Notes chosen by the person")
        shown = summary.notes[:NOTES_ON_PAPER]
        pdf.bullets([f"{n.at.day} {n.at:%b %H:%M}: {n.notes[:300]}" for n in shown], "")
        if len(summary.notes) > len(shown):
            pdf.para(f"and {len(summary.notes) - len(shown)} more notes, on the summary's page.", 8)

    pdf.ln(1)
    rules = settings.SITE_URL + reverse("see_a_clinician")
    pdf.para(
        f"Kept by the person in Cramp Diary. {DISCLAIMER} The prompts follow the app's rules at {rules}", 7
    )
    return pdf
