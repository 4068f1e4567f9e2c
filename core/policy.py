"""The permission layer: one way to declare and check who may do what.

Every app declares its rules once, in ``<app>/rules.py``, as django-rules predicates registered with
``rules.add_perm("<app>.<action>", predicate)``. Views, the API and the service functions all ask the
same rule:

- service functions (every write takes the acting user) call ``require(user, "ideas.vote", idea)``,
  which raises ``PermissionDenied`` (HTTP 403) when the rule says no;
- views and templates ask ``allowed(user, perm, obj)`` (template tag ``{% allowed "perm" obj as x %}``)
  only to decide what to show;
- where a rule is "may see", the app defines the list query once (``visible_<things>(user)``) and the
  predicate is derived from it (``visible_<things>(user).filter(pk=obj.pk).exists()``), so the list
  and the single check cannot drift apart.

Rights are derived from current roles at request time (cluster roles, organisation admins, jury
seats), never copied onto objects. Unlike ``user.has_perm``, these checks give platform admins no
blanket yes: a rule that admins pass says so itself (``is_platform_admin | ...``), and lifecycle
rules (a call's phase, an event's state) hold for admins too.
"""

import rules
from django.core.exceptions import PermissionDenied


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_confirmed(user) -> bool:
    """Logged in with a confirmed e-mail address."""
    return bool(is_authenticated(user) and getattr(user, "email_confirmed", False))


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(is_authenticated(user) and user.is_superuser)


def allowed(user, perm: str, obj=None) -> bool:
    """Whether the rule ``perm`` (e.g. "ideas.vote") allows ``user`` to act on ``obj``."""
    if not rules.perm_exists(perm):
        raise KeyError(f"No rule declared for {perm!r}")
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless the rule ``perm`` allows ``user`` to act on ``obj``."""
    if not allowed(user, perm, obj):
        raise PermissionDenied(perm)
