"""Django's admin: one rule for all of it — platform admins (staff) only; everybody else is sent to
the admin's login page. Rows are generated from the URL configuration so that every admin route of every
registered model is checked."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from .matrix import DENY, LOGIN, NOT_ALLOWED, OK, Page, everyone, only

STAFF_ONLY = only("platform_admin", **{role: LOGIN for role in (
    "unconfirmed", "member", "org_admin", "manager_a", "manager_b", "revoked_manager", "juror"
)})  # fmt: skip


def _admin_names():
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                yield from walk(
                    pattern.url_patterns,
                    f"{namespace}:{ns}" if namespace and ns else ns or namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "admin":
                yield pattern.name

    return sorted(set(walk(get_resolver().url_patterns, None)))


def _view_on_site_args(w):
    from django.contrib.contenttypes.models import ContentType

    return [ContentType.objects.get_for_model(w.org_a).pk, w.org_a.pk]


def _args(name):
    if name == "view_on_site":
        return _view_on_site_args
    if name.endswith("_password_change"):
        return lambda w: [w.users["member"].pk]
    if name == "app_list":
        return lambda w: ["actors"]
    if name != "password_change" and re.search(r".+_(change|delete|history)$", name):
        return lambda w: ["1"]
    return None


# Task results are written by the worker only: the admin shows them, nobody adds, edits or deletes.
READ_ONLY_MODELS = ("django_tasks_database_dbtaskresult",)


SPECIAL = {
    # The admin's own login page is open to everybody.
    "login": dict(get=everyone(), post=everyone()),
    # Logging out takes POST; a GET by someone who is not staff is sent on to the admin's front door.
    "logout": dict(get=everyone(platform_admin=NOT_ALLOWED), post=everyone()),
    # Autocomplete answers staff only, and only with its query parameters (403 without them).
    "autocomplete": dict(
        get=STAFF_ONLY | {"platform_admin": DENY}, post=STAFF_ONLY | {"platform_admin": NOT_ALLOWED}
    ),
    "jsi18n": dict(get=STAFF_ONLY, post=STAFF_ONLY | {"platform_admin": NOT_ALLOWED}),
    "password_change_done": dict(get=STAFF_ONLY, post=STAFF_ONLY | {"platform_admin": NOT_ALLOWED}),
}
for model in READ_ONLY_MODELS:
    for action in ("add", "delete"):
        SPECIAL[f"{model}_{action}"] = dict(
            get=STAFF_ONLY | {"platform_admin": DENY}, post=STAFF_ONLY | {"platform_admin": DENY}
        )
    SPECIAL[f"{model}_change"] = dict(get=STAFF_ONLY, post=STAFF_ONLY | {"platform_admin": DENY})
# Failed logins (django-axes) are recorded by the login itself: the admin shows them and may delete
# them (to lift a lockout early), nobody adds one.
for model in ("axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"):
    SPECIAL[f"{model}_add"] = dict(
        get=STAFF_ONLY | {"platform_admin": DENY}, post=STAFF_ONLY | {"platform_admin": DENY}
    )

ROUTES = [
    Page(
        f"admin:{name}",
        args=_args(name),
        **SPECIAL.get(name, dict(get=STAFF_ONLY, post=STAFF_ONLY)),
    )
    for name in _admin_names()
]

__all__ = ["ROUTES", "OK"]
