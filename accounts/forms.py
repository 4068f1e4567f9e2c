from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import User


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("E-mail address or password is wrong. Please try again."),
        "unconfirmed": _(
            "Please confirm your e-mail address first: open the link in the confirmation mail we "
            "have sent you."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self._refuse_unconfirmed()
            raise

    def _refuse_unconfirmed(self):
        """After a failed login: if the password is right but the address is not confirmed yet, say
        so and send a new link. Not while the lockout refuses this login (no password check then),
        and only to somebody who knows the password, so nothing is revealed about an address."""
        if getattr(self.request, "axes_locked_out", False):
            return
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (email and password):
            return
        user = User.objects.filter(email__iexact=email).first()
        if user and user.is_active and not user.email_confirmed and user.check_password(password):
            from .services import send_confirmation_mail_limited

            send_confirmation_mail_limited(self.request, user)
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("I agree that OpenRegion stores my name and e-mail address to run my account."),
    )

    def clean_email(self):
        # An address that has an account already is not refused here: the view answers as for a new
        # one and its owner gets a mail (no account enumeration).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        if p1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def language(self):
        return "en" if (get_language() or "de").startswith("en") else "de"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Others see this name; without it they would see a neutral label, never the address.
        self.fields["full_name"].required = True


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
