from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from knowledge import consult
from knowledge.models import Food
from knowledge.nutrients import ABOUT, GUIDES, GUIDES_BY_CODE, MEASURES
from knowledge.sources import SOURCES


@require_safe
@login_required
def learn(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/learn.html", {"guides": GUIDES, "measures": MEASURES})


@require_safe
@login_required
def nutrient(request: HttpRequest, code: str) -> HttpResponse:
    guide = GUIDES_BY_CODE.get(code)
    if guide is None:
        raise Http404("No such nutrient")
    foods = sorted(
        (food for food in Food.objects.all() if code in food.nutrients), key=lambda food: food.translated_name
    )
    return render(request, "knowledge/nutrient.html", {"guide": guide, "foods": foods})


@require_safe
@login_required
def foods(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:60]
    wanted = query.casefold()
    # In Python, not SQL: the name in the person's language is in the catalogue, not the row (which is English).
    rows = [
        food
        for food in Food.objects.all()
        if wanted in food.name.casefold() or wanted in food.translated_name.casefold()
    ]
    rows.sort(key=lambda food: food.translated_name)  # by the name shown; in English, the rows' own order
    return render(request, "knowledge/foods.html", {"foods": rows, "query": query})


@require_safe
@login_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/about.html", {"statements": ABOUT})


@require_safe
def see_a_clinician(request: HttpRequest) -> HttpResponse:
    rules = sorted(consult.RULES.values(), key=lambda rule: consult.LEVEL_ORDER[rule.level])
    return render(
        request,
        "knowledge/see_a_clinician.html",
        {
            "rules": rules,
            "levels": consult.LEVEL_LABELS,
        },
    )


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    """The source documents by title: what each covers, whom it points to, when it was written if it says."""
    return render(request, "knowledge/sources.html", {"sources": SOURCES})
