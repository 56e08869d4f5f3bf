"""The clinician summary as a one-page PDF, drawn on the server with fpdf2 (pure Python, installs with pip)."""

import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tracker.app import l10n
from tracker.summary.report import (
    DISCLAIMER,
    SOURCES_NOTE,
    Summary,
    covers,
    day_words,
    figure_rows,
    key_figures,
    short_number,
)

PAGE_WIDTH = 180  # A4 less 15 mm margins
LINE = 4.6
# The PDF's built-in Helvetica speaks Latin-1: common typography is mapped, anything else loses its accents or
# becomes "?", so a note in another script still makes a PDF (the page and the exports keep the text as typed).
# Spanish and German letters and marks (ñ, ü, ß, ¿, ¡, «, ») are Latin-1 and stay; German quotes („“, ‚‘) and
# the narrow spaces some languages' numbers use are mapped here.
PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‹": "<",
        "›": ">",
        "…": "...",
        "•": "-",
        "\u2009": " ",  # thin space
        "\u202f": "\u00a0",  # narrow no-break space
    }
)


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
        # Translators: the title of the weekly chart's value axis.
        title = latin(gettext("Cramps"))
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
        pdf.para(
            ngettext(
                "The last %(months)s months; %(earlier)s earlier not shown.",
                "The last %(months)s months; %(earlier)s earlier not shown.",
                summary.months_left_out,
            )
            % {"months": len(summary.months), "earlier": summary.months_left_out},
            7.5,
        )
    x0, y0 = pdf.get_x(), pdf.get_y()
    tallest = 0.0
    for position, month in enumerate(summary.months):
        left = x0 + position * (7 * CELL_W + MONTH_GAP)
        pdf.set_font("Helvetica", "B", 7.5)
        pdf.text(left, y0 + 3, latin(l10n.month_year(month.first)))
        pdf.set_font("Helvetica", "", 6)
        for column, (short, _) in enumerate(month.weekdays):
            short = latin(str(short))
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
        gettext(
            "Small number: the date. Bold number: cramps that night (boxed: worst 7 or more). 0: checked in, no "
            "cramps. -: not logged. Empty: outside the period or not over yet. Weeks start on Monday; nights run "
            "noon to noon."
        ),
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
            pdf.cell(width, 3.6, latin(gettext("At the start: %(figure)s") % {"figure": figure.before}))
    pdf.set_xy(x0, y0 + (19 if summary.baseline else 15.5))
    if summary.baseline:
        b = summary.baseline
        pdf.para(
            # Translators: "At the start" as the figures' label above says it.
            gettext('"At the start": %(when)s (%(kept)s of %(days)s nights logged), as on Trends.')
            % {"when": summary.baseline_words, "kept": b.kept, "days": b.days},
            7.5,
        )
    elif summary.baseline_note:
        pdf.para(summary.baseline_note, 7.5)


def _experiment(pdf: Page, summary: Summary) -> None:
    x = summary.experiment
    assert x is not None
    # Translators: a heading, then the change the person tried, in their own words.
    pdf.heading(gettext("Personal experiment: %(change)s") % {"change": x.change})
    plan = gettext(
        "Alternating blocks of %(days)s nights, change against usual routine, %(pairs)s pairs planned "
        "(%(nights)s nights) from %(start)s; order drawn at random: %(order)s."
    ) % {
        "days": x.block_days,
        "pairs": x.pairs,
        "nights": x.planned_nights,
        "start": day_words(x.start),
        "order": x.order,
    }
    if x.stopped_on:
        plan += " " + gettext("Stopped early on %(day)s.") % {"day": day_words(x.stopped_on)}
    elif x.state in ("running", "paused") and x.through:
        plan += " " + gettext("Still under way: counted up to %(day)s.") % {"day": day_words(x.through)}
    pdf.para(plan, 8)
    blocks = "; ".join(_block(b) for b in x.blocks)
    if blocks:
        pdf.para(gettext("Blocks: %(blocks)s.") % {"blocks": blocks}, 7.5)
    analysed = gettext(
        "Nights analysed: %(change_nights)s with the change (%(change_cramps)s cramps, %(change_per_night)s a "
        "night), %(usual_nights)s usual (%(usual_cramps)s cramps, %(usual_per_night)s a night); "
        "%(not_logged)s not logged, left out."
    ) % {
        "change_nights": x.change_nights,
        "change_cramps": x.change_cramps,
        "change_per_night": x.change_per_night,
        "usual_nights": x.usual_nights,
        "usual_cramps": x.usual_cramps,
        "usual_per_night": x.usual_per_night,
        "not_logged": x.nights_not_logged,
    }
    if x.change_passed:
        analysed += " " + gettext("Change done on %(done)s of %(passed)s change nights.") % {
            "done": x.done,
            "passed": x.change_passed,
        }
    ratio = gettext("Rate ratio (change / usual): %(ratio)s.") % {
        "ratio": x.ratio or gettext("not available")
    }
    pdf.para(f"{analysed} {ratio} {x.verdict}", 8)
    pdf.para(x.method, 7)


def _block(b) -> str:
    """ "1 change 3 Mar-9 Mar: 6/7 logged, 4 cramps, done 5": one block of an experiment, briefly."""
    said = {
        "number": b.number,
        "condition": b.condition,
        "first": l10n.day_month(b.first),
        "last": l10n.day_month(b.last),
        "logged": b.nights_logged,
        "passed": b.nights_passed,
        "cramps": b.cramps,
        "done": b.nights_done,
    }
    if b.nights_done is None:
        # Translators: one block of a personal experiment: its number, condition, dates, nights logged of nights
        # passed, and cramps.
        line = gettext(
            "%(number)s %(condition)s %(first)s-%(last)s: %(logged)s/%(passed)s logged, %(cramps)s cramps"
        )
        return line % said
    # Translators: as the line before, and on how many nights the change was done.
    line = gettext(
        "%(number)s %(condition)s %(first)s-%(last)s: %(logged)s/%(passed)s logged, %(cramps)s cramps, done %(done)s"
    )
    return line % said


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
    title = latin(gettext("Leg cramp diary summary"))
    pdf.set_title(title)
    pdf.set_creator(latin(gettext("Cramp Diary")))
    pdf.set_lang(translation.get_language() or settings.LANGUAGE_CODE)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 10)
    not_given = gettext("not given")
    born = day_words(summary.birth_date) if summary.birth_date else not_given
    pdf.cell(
        0,
        5,
        latin(
            gettext("Name: %(name)s    Date of birth: %(born)s")
            % {"name": summary.name or not_given, "born": born}
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    period = gettext("Period: %(period)s") % {"period": summary.period_words}
    if summary.has_diary:
        period += "    " + gettext("Diary kept for %(length)s") % {"length": summary.diary_length}
    pdf.cell(
        0,
        5,
        latin(period),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if summary.period_before_diary:
        pdf.para(
            ngettext(
                "The diary began %(days)s days into this period: the figures cover the %(nights)s logged night "
                "since.",
                "The diary began %(days)s days into this period: the figures cover the %(nights)s logged nights "
                "since.",
                summary.now.kept,
            )
            % {"days": summary.period_before_diary, "nights": summary.now.kept},
            8,
        )
    pdf.para(
        gettext("Patient-reported diary, made %(made)s. %(covers)s Intensity self-rated 0-10.")
        % {"made": summary.made_words, "covers": covers(summary)},
        7.5,
    )
    pdf.ln(1)
    _key_figures(pdf, summary)

    pdf.heading(summary.chart_title)
    _chart(pdf, summary)

    if summary.months:
        pdf.heading(gettext("Nights"))
        _calendar(pdf, summary)

    pdf.heading(gettext("Warning signs reported"))
    pdf.bullets(
        [_sign(s) for s in summary.warning_signs],
        gettext("No warning signs reported in this period."),
    )

    pdf.heading(gettext("Prompts raised by the diary"))
    # Translators: a prompt: its title, the finding, and what the app prompted the patient to do.
    finding = gettext("%(title)s. %(text)s %(advised)s.")
    pdf.bullets(
        [finding % {"title": f.title, "text": f.text, "advised": f.advised} for f in summary.findings],
        gettext("None as of the end of the period."),
    )

    pdf.heading(gettext("Medicines and supplements listed"))
    lines = [m.line for m in summary.medicines]
    if summary.medicines_more:
        lines.append(gettext("and %(n)s more") % {"n": summary.medicines_more})
    pdf.bullets(lines, gettext("None listed."))
    if summary.medicines:
        pdf.para(str(SOURCES_NOTE), 7)

    if summary.experiment:
        _experiment(pdf, summary)

    pdf.heading(gettext("More figures"))
    rows = figure_rows(summary)
    # Translators: a figure in this period and, after the comma, at the start of the diary.
    with_before = gettext("%(label)s: %(now)s, at the start %(before)s")
    # Translators: a label and its value: "Cramps: 5 over 18 logged nights".
    alone = gettext("%(label)s: %(now)s")
    text = "; ".join(
        (with_before if before else alone) % {"label": label, "now": now, "before": before}
        for label, now, before in rows
    )
    pdf.para(text + ".", 8)
    places = "; ".join(alone % {"label": where, "now": count} for where, count in summary.muscles)
    pdf.para(
        gettext("Muscles and sides: %(places)s") % {"places": places}
        if places
        else gettext("Muscles and sides: none."),
        8,
    )
    if summary.fluid_average:
        fluid = ngettext(
            "Fluid: %(average)s a day on average over %(days)s day with drinks logged (target %(target)s; reached "
            "on %(reached)s).",
            "Fluid: %(average)s a day on average over %(days)s days with drinks logged (target %(target)s; reached "
            "on %(reached)s).",
            summary.fluid_days,
        ) % {
            "average": summary.fluid_average,
            "days": summary.fluid_days,
            "target": summary.fluid_target,
            "reached": summary.fluid_days_at_target,
        }
    else:
        fluid = gettext("Fluid: no drinks logged.")
    exercise = ngettext(
        "Exercise: %(minutes)s minutes a week; %(days)s day with exercise, %(vigorous)s vigorous.",
        "Exercise: %(minutes)s minutes a week; %(days)s days with exercise, %(vigorous)s vigorous.",
        summary.exercise_days,
    ) % {
        "minutes": short_number(summary.exercise_per_week),
        "days": summary.exercise_days,
        "vigorous": summary.vigorous_days,
    }
    if summary.meals:
        # Translators: a food group and the share of meals with a food rich in it: "magnesium 40%".
        shares = ", ".join(
            gettext("%(group)s %(share)s%%") % {"group": g, "share": n} for g, n in summary.nutrient_shares
        )
        meals = gettext("Meals: %(meals)s logged; share with a food rich in: %(shares)s.") % {
            "meals": summary.meals,
            "shares": shares,
        }
    else:
        meals = gettext("Meals: none logged.")
    pdf.para(f"{fluid} {exercise} {meals}", 8)

    if summary.notes:
        pdf.heading(gettext("Notes chosen by the person"))
        shown = summary.notes[:NOTES_ON_PAPER]
        pdf.bullets([f"{l10n.day_month_clock(n.at)}: {n.notes[:300]}" for n in shown], "")
        if len(summary.notes) > len(shown):
            more = len(summary.notes) - len(shown)
            pdf.para(
                ngettext(
                    "and %(n)s more note, on the summary's page.",
                    "and %(n)s more notes, on the summary's page.",
                    more,
                )
                % {"n": more},
                8,
            )

    pdf.ln(1)
    rules = settings.SITE_URL + reverse("see_a_clinician")
    pdf.para(
        gettext(
            "Kept by the person in Cramp Diary. %(disclaimer)s The prompts follow the app's rules at %(rules)s"
        )
        % {"disclaimer": DISCLAIMER, "rules": rules},
        7,
    )
    return pdf


def _sign(s) -> str:
    """ "Swelling: 2 cramps, first 3 Mar 2026, last 9 Mar 2026": one warning sign over the period."""
    if s.count == 1:
        # Translators: a warning sign, then the night of the one cramp it was logged with.
        return gettext("%(sign)s: 1 cramp, on %(day)s") % {"sign": s.sign, "day": day_words(s.first)}
    # Translators: a warning sign, how many cramps it was logged with, and the first and last night.
    return ngettext(
        "%(sign)s: %(count)s cramp, first %(first)s, last %(last)s",
        "%(sign)s: %(count)s cramps, first %(first)s, last %(last)s",
        s.count,
    ) % {
        "sign": s.sign,
        "count": s.count,
        "first": day_words(s.first),
        "last": day_words(s.last),
    }
