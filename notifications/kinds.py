"""The one registry of notification kinds.

A notification stores its kind and its parameters, never a finished sentence. Each kind has a
translatable message template (gettext_lazy with %(name)s placeholders) and belongs to a group, for
which every person chooses whether they also want e-mails (models.Preference). The text is rendered
when it is read (in the reader's language) or sent (in the recipient's preferred language).

A parameter may need translating itself (a role's label, the neutral label of a person without a
name): ``labels`` maps the parameter's name to a function ``(value, params) -> text`` turning the
stored value into the text to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    MARKETPLACE = "marketplace", _("Marketplace")
    MEMBERSHIPS = "memberships", _("Memberships and roles")
    CALLS = "calls", _("Open calls and ideas")
    SERVICES = "services", _("Network services")
    EVENTS = "events", _("Events")


@dataclass(frozen=True)
class Kind:
    name: str
    group: str
    message: object  # a lazy translatable string with %(name)s placeholders
    labels: dict[str, Callable[[object, dict], str]] = field(default_factory=dict)
    subject: object = None  # the e-mail's subject; without one "OpenRegion: <message>"

    def render(self, params: dict) -> str:
        """The message in the currently active language."""
        return self._fill(self.message, params)

    def render_subject(self, params: dict) -> str | None:
        return self._fill(self.subject, params) if self.subject else None

    def _fill(self, template, params: dict) -> str:
        params = params or {}
        values = {}
        for key, value in params.items():
            label = self.labels.get(key)
            values[key] = str(label(value, params) if label else value)
        for key, label in self.labels.items():
            values.setdefault(key, str(label("", params)))
        try:
            return str(template) % values
        except (KeyError, TypeError, ValueError):
            # a parameter went missing (e.g. an old row): show the template, never fail the page
            return str(template)


KINDS: dict[str, Kind] = {}


class UnknownKind(LookupError):
    pass


def register(name: str, group: str, message, labels: dict | None = None, subject=None) -> Kind:
    if group not in Group.values:
        raise ValueError(f"Unknown notification group {group!r} for kind {name!r}")
    kind = Kind(name=name, group=group, message=message, labels=labels or {}, subject=subject)
    KINDS[name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError as error:
        raise UnknownKind(f"Unregistered notification kind {name!r}") from error


def render(name: str, params: dict) -> str:
    kind = KINDS.get(name)
    if kind is None:
        return str((params or {}).get("text", ""))
    return kind.render(params)


# -- parameter labels --------------------------------------------------------------------------


def _role_label(value, params) -> str:
    from actors.models import ClusterRole

    try:
        return ClusterRole.Role(value).label
    except ValueError:
        return str(value)


def person(key: str):
    """A person's name; without one the neutral label accounts uses ("User 12"), translated. The
    caller stores the name as ``key`` and the user's id as ``<key>_number`` (person_params)."""

    def label(value, params) -> str:
        if value:
            return str(value)
        number = params.get(f"{key}_number")
        if number:
            return gettext("User %(number)s") % {"number": number}
        return str(_("a user"))

    return label


def person_params(key: str, user) -> dict:
    return {key: (user.full_name or "").strip(), f"{key}_number": user.pk}


def bilingual(key: str):
    """Content written in two languages (``title`` and ``title_en``): the English text for English
    readers when there is one, else the original."""

    def label(value, params) -> str:
        english = params.get(f"{key}_en")
        if english and (translation.get_language() or "").startswith("en"):
            return str(english)
        return str(value)

    return label


def bilingual_params(key: str, obj, attribute: str = "title") -> dict:
    return {key: getattr(obj, attribute), f"{key}_en": getattr(obj, f"{attribute}_en", "") or ""}


def _moment_label(value, params) -> str:
    """A stored ISO date and time, shown in the reader's language and the site's time zone."""
    moment = parse_datetime(str(value)) if value else None
    if moment is None:
        return str(value)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _quoted(value, params) -> str:
    return f" „{value}“" if value else ""


ROLE_LABELS = {"role": _role_label, "user": person("user")}
TITLE = {"title": bilingual("title")}

# -- the kinds of every module -----------------------------------------------------------------

# notifications that existed before kinds did (copied from the marketplace): the stored text
register("legacy", Group.MARKETPLACE, "%(text)s")

# marketplace (matching)
register(
    "matching.interest_expressed",
    Group.MARKETPLACE,
    _("%(organisation)s is interested in “%(title)s”."),
)
register(
    "matching.interest_brokered_to_poster",
    Group.MARKETPLACE,
    _("Introduction: %(organisation)s would like to work with you on “%(title)s”."),
)
register(
    "matching.interest_brokered",
    Group.MARKETPLACE,
    _("Introduction: your interest in “%(title)s” was passed on to %(organisation)s."),
)
register(
    "matching.interest_declined",
    Group.MARKETPLACE,
    _("Your interest in “%(title)s” was not passed on."),
)

# memberships and roles (actors)
register(
    "actors.organisation_verified",
    Group.MEMBERSHIPS,
    _("%(organisation)s has been verified."),
)
register(
    "actors.admin_removed",
    Group.MEMBERSHIPS,
    _("%(person)s is no longer an administrator of %(organisation)s."),
)
register(
    "actors.membership_invited",
    Group.MEMBERSHIPS,
    _("%(cluster)s invites %(organisation)s to become a member. Please accept or decline."),
)
register(
    "actors.invitation_accepted",
    Group.MEMBERSHIPS,
    _("%(organisation)s has accepted the invitation and is now a member of %(cluster)s."),
)
register(
    "actors.invitation_declined",
    Group.MEMBERSHIPS,
    _("%(organisation)s has declined the invitation of %(cluster)s."),
)
register(
    "actors.membership_applied",
    Group.MEMBERSHIPS,
    _("%(organisation)s has applied to become a member of %(cluster)s."),
)
register(
    "actors.application_accepted",
    Group.MEMBERSHIPS,
    _("%(cluster)s has accepted the application of %(organisation)s."),
)
register(
    "actors.application_declined",
    Group.MEMBERSHIPS,
    _("%(cluster)s has declined the application of %(organisation)s."),
)
register(
    "actors.membership_ended",
    Group.MEMBERSHIPS,
    _("The membership of %(organisation)s in %(cluster)s has ended."),
)
register(
    "actors.organisation_role_granted",
    Group.MEMBERSHIPS,
    _("%(user)s now has the role “%(role)s” for %(organisation)s in %(cluster)s."),
    ROLE_LABELS,
)
register(
    "actors.organisation_role_revoked",
    Group.MEMBERSHIPS,
    _("%(user)s no longer has the role “%(role)s” for %(organisation)s in %(cluster)s."),
    ROLE_LABELS,
)
register(
    "actors.cluster_role_granted",
    Group.MEMBERSHIPS,
    _("%(user)s now has the role “%(role)s” in %(cluster)s."),
    ROLE_LABELS,
)
register(
    "actors.cluster_role_revoked",
    Group.MEMBERSHIPS,
    _("%(user)s no longer has the role “%(role)s” in %(cluster)s."),
    ROLE_LABELS,
)

# open calls and ideas
register(
    "ideas.juror_appointed",
    Group.CALLS,
    _(
        "You have been appointed to the jury of the call “%(call)s”. The jury review page "
        "shows the ideas to score."
    ),
    {"call": bilingual("call")},
)
register(
    "ideas.idea_published",
    Group.CALLS,
    _(
        "Your idea “%(title)s” has been published: it is now visible to everyone and can collect votes."
    ),
    TITLE,
    subject=_("Your idea “%(title)s” has been published"),
)
register(
    "ideas.idea_rejected",
    Group.CALLS,
    _("Your idea “%(title)s” was not published. Reason given by the moderation: %(reason)s"),
    TITLE,
    subject=_("Your idea “%(title)s” was not published"),
)
register(
    "ideas.idea_shortlisted",
    Group.CALLS,
    _(
        "Your idea “%(title)s” is on the shortlist: it received enough support and will be "
        "reviewed by the jury."
    ),
    TITLE,
    subject=_("Your idea “%(title)s” is on the shortlist"),
)
register(
    "ideas.idea_awarded",
    Group.CALLS,
    _("Congratulations: the jury has awarded your idea “%(title)s”: %(award)s"),
    TITLE,
    subject=_("Congratulations: your idea “%(title)s” has been awarded"),
)
register(
    "ideas.idea_not_awarded",
    Group.CALLS,
    _("The results are published. Your idea “%(title)s” was not awarded this time."),
    TITLE,
    subject=_("The results for your idea “%(title)s”"),
)

# events
EVENT = {"title": bilingual("title"), "starts": _moment_label}
register(
    "events.waitlist_promoted",
    Group.EVENTS,
    _(
        "Good news: a place has become free and you are now registered for “%(title)s” "
        "(%(starts)s). If you can no longer attend, please cancel your registration so that the "
        "next person on the waiting list can take your place."
    ),
    EVENT,
    subject=_("You have a place at “%(title)s”"),
)
register(
    "events.event_cancelled",
    Group.EVENTS,
    _(
        "We are sorry: “%(title)s” (%(starts)s) has been cancelled. Reason given by the cluster "
        "office: %(reason)s"
    ),
    EVENT,
    subject=_("Cancelled: “%(title)s”"),
)
register(
    "events.meeting_requested",
    Group.EVENTS,
    _(
        "%(name)s would like to meet you at “%(title)s”.%(message)s Please accept or decline the "
        "request on the event page."
    ),
    {**EVENT, "name": person("name"), "message": _quoted},
    subject=_("%(name)s would like to meet you at “%(title)s”"),
)
register(
    "events.meeting_accepted",
    Group.EVENTS,
    _(
        "%(name)s accepted your meeting request for “%(title)s”. The cluster office will give the "
        "meeting a time and a table; you will find it in your agenda."
    ),
    {**EVENT, "name": person("name")},
    subject=_("%(name)s accepted your meeting request for “%(title)s”"),
)
register(
    "events.meeting_declined",
    Group.EVENTS,
    _(
        "%(name)s declined your meeting request for “%(title)s”. You can ask other participants "
        "for a meeting."
    ),
    {**EVENT, "name": person("name")},
    subject=_("%(name)s declined your meeting request for “%(title)s”"),
)

# network services
register(
    "services.booking_requested",
    Group.SERVICES,
    _("%(name)s has booked “%(title)s”. Please confirm or cancel the booking."),
    {"title": bilingual("title"), "name": person("name")},
)
register(
    "services.booking_confirmed",
    Group.SERVICES,
    _("Your booking of “%(title)s” has been confirmed."),
    TITLE,
)
register(
    "services.booking_cancelled",
    Group.SERVICES,
    _("Your booking of “%(title)s” has been cancelled by the cluster office."),
    TITLE,
)
