"""Sign up, profile and account deletion; log in, log out and password change are Django's own views."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tracker.accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from tracker.app.http import AuthedHtmxRequest
from tracker.models import Profile


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Profile.objects.update_or_create(
                user=user, defaults={"time_zone": form.cleaned_data["time_zone"]}
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your diary is ready. Log a cramp whenever one happens.")
        return redirect("today")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthedHtmxRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: AuthedHtmxRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # every entry goes with it (on_delete=CASCADE)
        messages.success(request, "Your account and every entry in it have been deleted.")
        return redirect("login")
    return render(request, "registration/delete_account.html", {"form": form})
