"""Sign up, profile, email confirmation, password reset and account deletion. Log in, log out, password change
and the reset's steps are Django's own views, with forms that go through the login throttle."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tracker.accounts import mail, throttle
from tracker.accounts.forms import (
    DeleteAccountForm,
    NewPasswordForm,
    ProfileForm,
    ResetForm,
    SignUpForm,
    ThrottledPasswordChangeForm,
)
from tracker.app import l10n
from tracker.app.http import AuthedHtmxRequest
from tracker.models import Profile

TOO_MANY = gettext_lazy("Too many tries from here in the last hour. Please wait an hour and try again.")
NO_LINK_TODAY = gettext_lazy(
    "We can't send another link today. Tomorrow, press “Send the link again” on your profile page."
)


def confirmation_words(user) -> tuple[bool, str]:
    """Send the person a link to confirm their address (within the day's limits), and the words that say so."""
    if mail.send_confirmation(user):
        return True, gettext("We sent a link to %(email)s: open it to confirm your address.") % {
            "email": user.email
        }
    return False, str(NO_LINK_TODAY)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and not throttle.allowed("signup", throttle.client_key(request)):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return render(request, "registration/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            profile, _ = Profile.objects.update_or_create(
                user=user,
                defaults={
                    "time_zone": form.cleaned_data["time_zone"],
                    "display_name": form.cleaned_data["display_name"],
                    # The language the person signed up in stays theirs: emails and reminders are written in it.
                    "language": l10n.language_or_none(translation.get_language()) or "",
                },
            )
            user.profile = profile  # as saved here, with its language, for the confirmation email
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        name = form.cleaned_data["display_name"].strip()
        if name:
            welcome = gettext("Welcome, %(name)s! Your diary is ready. Log a cramp whenever one happens.") % {
                "name": name
            }
        else:
            welcome = gettext("Welcome! Your diary is ready. Log a cramp whenever one happens.")
        if user.email:
            _, words = confirmation_words(user)
            welcome += " " + words
        messages.success(request, welcome)
        return redirect("today")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request: AuthedHtmxRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        changed = form.email_changed
        form.save()
        message = gettext("Profile saved.")
        if changed and request.user.email:
            _, words = confirmation_words(request.user)
            message += " " + words
        messages.success(request, message)
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


@require_POST
@login_required
def resend_confirmation(request: AuthedHtmxRequest) -> HttpResponse:
    user = request.user
    if user.email and user.profile.email_confirmed_at is None:
        sent, words = confirmation_words(user)
        (messages.success if sent else messages.error)(request, words)
    return redirect("profile")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Opening it shows one button and changes nothing, since mail scanners open every link; the
    button (a POST, with the page's CSRF token) confirms."""
    profile = mail.profile_to_confirm(token)
    if profile is None:
        context = {"confirmed": None, "days": settings.EMAIL_CONFIRMATION_DAYS}
        return render(request, "registration/email_confirmed.html", context, status=404)
    if request.method == "POST":
        mail.confirm(profile)
    if profile.email_confirmed_at is not None:
        return render(request, "registration/email_confirmed.html", {"confirmed": profile})
    return render(request, "registration/confirm_email.html", {"email": profile.user.email})


class ResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client and per address. The answer is the same page whether the address
    is known, unknown or over its limit, and takes about as long: the message itself is sent in the background."""

    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        # Past the limits, every address costs the same: two counts and one queued task (ResetForm.save).
        client_ok = throttle.allowed("reset-client", throttle.client_key(self.request))
        if not client_ok:
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if throttle.allowed("reset-address", form.cleaned_data["email"]):
            return super().form_valid(form)
        return redirect(self.success_url)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("today")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, gettext("Your new password is set, and you're logged in."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete_account(request: AuthedHtmxRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # every entry goes with it (on_delete=CASCADE)
        messages.success(request, gettext("Your account and every entry in it have been deleted."))
        return redirect("login")
    return render(request, "registration/delete_account.html", {"form": form})
