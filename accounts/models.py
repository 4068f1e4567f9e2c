from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person's login. The e-mail address is the user name."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("de", _("German")), ("en", _("English"))],
        default="de",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name shown to others: the full name, else a neutral label, never the e-mail address."""
        name = (self.full_name or "").strip()
        if name:
            return name
        if self.pk is None:
            return gettext("User")
        return gettext("User %(number)s") % {"number": self.pk}

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        name = (self.full_name or "").strip()
        return name.split()[0] if name else self.display_name

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser
