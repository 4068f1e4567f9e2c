from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ideas"
    verbose_name = _("Open calls and idea competitions")

    def seed_demo(self, stdout, scale=False):
        from .demo import seed

        seed(stdout=stdout, scale=scale)
