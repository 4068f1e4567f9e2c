"""The tables organisers export. Votes are exported per idea only, never per voter.

The files are written by core.exports (one helper for every export, formulas neutralised)."""

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Idea, Score


def ideas_table(call):
    headers = [
        _("ID"),
        _("Title"),
        _("Author"),
        _("Status"),
        _("Votes"),
        _("Submitted"),
        _("Award"),
    ]
    rows = [
        [i.pk, i.title, str(i.author), i.get_status_display(), i.vote_count,
         i.submitted_at.isoformat() if i.submitted_at else "", i.award]
        for i in call.ideas.exclude(status=Idea.Status.DRAFT).select_related("author").order_by("pk")
    ]  # fmt: skip
    return headers, rows


def votes_table(call):
    headers = [_("ID"), _("Title"), _("Votes")]
    rows = [
        [i.pk, i.title, i.n]
        for i in call.ideas.filter(status__in=Idea.PUBLIC_STATUSES)
        .annotate(n=Count("votes"))
        .order_by("-n", "pk")
    ]
    return headers, rows


def scores_table(call):
    headers = [_("Idea ID"), _("Idea"), _("Juror"), _("Helix group"), _("Criterion"), _("Weight"),
               _("Score"), _("Comment")]  # fmt: skip
    rows = [
        [s.idea_id, s.idea.title, str(s.juror.user), s.juror.get_helix_type_display(),
         s.criterion.name, s.criterion.weight, s.value, s.comment]
        for s in Score.objects.filter(idea__call=call)
        .select_related("idea", "juror__user", "criterion")
        .order_by("idea_id", "juror_id", "criterion__position")
    ]  # fmt: skip
    return headers, rows


EXPORTS = {"ideas": ideas_table, "votes": votes_table, "scores": scores_table}
