from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.ratelimit import hit

from . import services
from .forms import EmailLoginForm, ProfileForm, RegistrationForm, ResendConfirmationForm
from .security import ip_key, normalise_email


class LoginView(auth_views.LoginView):
    """E-mail login. Failures are limited twice: per e-mail and client address by django-axes
    (lockout, settings AXES_*), and per client address over all e-mail addresses by the "login" rate
    limit (accounts.backends.LoginRateLimitBackend; only failures count)."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hit("register", ip_key(request))
        # Same answer whether or not the address has an account already (its owner gets a mail).
        services.register_user(
            request,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            language=form.language(),
        )
        return render(request, "accounts/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form})


@require_GET
def confirm(request, uidb64, token):
    """Confirm the address of a confirmation link. Never logs anybody in."""
    user = services.confirm_email(uidb64, token)
    if user is None:
        return render(
            request,
            "accounts/confirm_invalid.html",
            {"form": ResendConfirmationForm()},
            status=400,
        )
    messages.success(request, _("Thank you, your e-mail address is confirmed. Please log in."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    """Ask for a new confirmation link. The answer does not tell whether the address has an account."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        hit("confirmation_mail", ip_key(request))
        hit("confirmation_mail", f"email:{email}")
        services.resend_confirmation(request, email)
        return render(request, "accounts/confirmation_sent.html", {"email": email})
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    roles = request.user.cluster_roles.select_related("cluster", "organisation")
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same for known and unknown addresses (Django's view). Limited per client address
    and per requested address (scope "password_reset"), whether or not the address has an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        hit("password_reset", ip_key(self.request))
        hit("password_reset", f"email:{normalise_email(form.cleaned_data['email'])}")
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset link works once and for PASSWORD_RESET_TIMEOUT seconds; it never logs in."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
