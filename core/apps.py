from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Admin forms, like ours (core.forms), take web addresses typed without a scheme as https —
        # Django 6's default — instead of warning on every admin page with a URL field. The admin
        # registered every model before this app is ready (django.contrib.admin comes first).
        from django.contrib import admin
        from django.db import models

        for model_admin in admin.site._registry.values():
            overrides = model_admin.formfield_overrides.setdefault(models.URLField, {})
            overrides.setdefault("assume_scheme", "https")
