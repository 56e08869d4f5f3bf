from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from knowledge.models import Food


@require_GET
@login_required
def learn(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/learn.html", {"foods": Food.objects.all()})
