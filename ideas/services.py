"""Domain rules of open calls. Views call these; every write runs in a transaction."""

from __future__ import annotations

import copy
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import ClusterRole, HelixType, Organisation, Person
from core import ratelimit
from core.idempotency import double_submit_cutoff
from core.policy import is_confirmed, require
from engines.scoring import jury_composition, rank_ideas, shortlist
from notifications.kinds import bilingual_params
from notifications.services import notify

from .models import (
    PHASE_FIELDS,
    Answer,
    Ballot,
    Call,
    Comment,
    CommentReport,
    Criterion,
    GuidingQuestion,
    Idea,
    IdeaFile,
    JuryMember,
    Phase,
    Score,
    Vote,
)
from .rules import EDITABLE_STATUSES, organiser_choices, phase_allows_action, visible_ideas

Status = Idea.Status
User = get_user_model()


def _notify(idea_ids, kind: str):
    """Tell the authors (in-app, and by e-mail after the commit unless they chose otherwise) that
    their idea moved on; ``kind`` is the new state (notifications/kinds.py: "ideas.idea_<kind>")."""
    for idea in Idea.objects.select_related("author").filter(pk__in=list(idea_ids)):
        notify(
            [idea.author],
            f"ideas.idea_{kind}",
            reverse("ideas:idea_detail", args=[idea.pk]),
            **bilingual_params("title", idea),
            reason=idea.rejection_reason,
            award=idea.award,
        )


class RuleError(Exception):
    """A domain rule was violated; the message is shown to the user."""


# --- helpers ----------------------------------------------------------------------------------


def _require_phase(call: Call, action: str, message: str):
    """A clear message when the call's phase does not allow ``action`` (table PHASE_ALLOWS); the
    rule checked by ``require`` afterwards says the same."""
    if not phase_allows_action(call, action):
        raise RuleError(message)


def _lock_actor(user):
    """Lock the acting user's row so that two identical requests of the same user run one after the
    other (PostgreSQL; SQLite runs write transactions one at a time anyway)."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _lock_call(call: Call) -> Call:
    """Lock the call's row for the rest of the transaction and reload it (the caller's object)."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    call.refresh_from_db()
    return call


def _rate_key(user) -> str:
    return f"user:{user.pk}"


# --- calls -------------------------------------------------------------------------------------


@transaction.atomic
def save_call(
    user,
    call: Call,
    questions: list[str],
    criteria: list[tuple[str, int]],
    questions_en: list[str] | None = None,
    criteria_en: list[str] | None = None,
) -> Call:
    """Create or change a call with its guiding questions and weighted jury criteria (in order);
    `questions_en`/`criteria_en` are their optional English versions in the same order (None
    keeps the stored ones)."""
    creating = call.pk is None
    if creating:
        require(user, "ideas.create_call")
        call.created_by = user
    else:
        require(user, "ideas.manage_call", Call.objects.get(pk=call.pk))
    previous_organiser = None if creating else Call.objects.get(pk=call.pk).organiser_id
    if call.organiser_id != previous_organiser and not (
        organiser_choices(user).filter(pk=call.organiser_id).exists()
    ):
        raise RuleError(_("You can only name the management organisation of a cluster you manage."))
    call.save()
    _sync_questions(call, questions)
    _sync_criteria(call, criteria)
    if questions_en is not None:
        _sync_english(call.questions.order_by("position"), "text_en", questions_en)
    if criteria_en is not None:
        _sync_english(call.criteria.order_by("position"), "name_en", criteria_en)
    return call


def _sync_english(items, field, texts):
    """Give the i-th item the i-th English text (empty where the list is shorter)."""
    for item, text in zip(items, [*texts, *[""] * len(items)], strict=False):
        if getattr(item, field) != text:
            setattr(item, field, text)
            item.save(update_fields=[field])


def _sync_questions(call, questions):
    existing = list(call.questions.all())
    if len(questions) < len(existing):
        surplus = existing[len(questions) :]
        if Answer.objects.filter(question__in=surplus).exclude(text="").exists():
            raise RuleError(_("Questions that already have answers cannot be removed."))
        GuidingQuestion.objects.filter(pk__in=[q.pk for q in surplus]).delete()
    for position, text in enumerate(questions, start=1):
        if position <= len(existing):
            question = existing[position - 1]
            if question.text != text:
                question.text = text
                question.save(update_fields=["text"])
        else:
            GuidingQuestion.objects.create(call=call, position=position, text=text)


def _sync_criteria(call, criteria):
    existing = list(call.criteria.all())
    if len(criteria) < len(existing):
        surplus = existing[len(criteria) :]
        if Score.objects.filter(criterion__in=surplus).exists():
            raise RuleError(_("Criteria that already have jury scores cannot be removed."))
        Criterion.objects.filter(pk__in=[c.pk for c in surplus]).delete()
    for position, (name, weight) in enumerate(criteria, start=1):
        if position <= len(existing):
            criterion = existing[position - 1]
            criterion.name, criterion.weight = name, weight
            criterion.save(update_fields=["name", "weight"])
        else:
            Criterion.objects.create(call=call, position=position, name=name, weight=weight)


@transaction.atomic
def add_manager(user, call: Call, colleague) -> Call:
    """List a co-manager. The listing counts only while the colleague is a cluster manager of a
    cluster the organiser is an active member of (see ideas/rules.py)."""
    _lock_call(call)
    require(user, "ideas.add_manager", call)
    eligible = ClusterRole.objects.filter(
        user=colleague,
        role=ClusterRole.Role.MANAGER,
        cluster__memberships__organisation=call.organiser_id,
        cluster__memberships__status="active",
    ).exists()
    if not eligible:
        raise RuleError(
            _(
                "%(user)s cannot co-manage this call: only managers of a cluster that "
                "%(organiser)s belongs to can."
            )
            % {"user": colleague, "organiser": call.organiser}
        )
    if call.managers.filter(pk=colleague.pk).exists():
        raise RuleError(_("%(user)s already co-manages this call.") % {"user": colleague})
    call.managers.add(colleague)
    return call


def _planned_advance(call: Call, now) -> tuple[str, dict]:
    """The phase "start the next phase now" would start and the schedule fields it changes
    ({field name: new value}); the call itself is left untouched."""
    current = call.phase(now)
    order = [phase for phase, _s, _e in PHASE_FIELDS]
    if current == Phase.DRAFT:
        raise RuleError(_("Publish the call first."))
    if current == Phase.UPCOMING:
        target = 0
    elif current in order:
        target = order.index(current) + 1
    elif current == Phase.BETWEEN:
        target = next(i for i, (_p, s, _e) in enumerate(PHASE_FIELDS) if getattr(call, s) > now)
    else:
        target = len(order)
    if target >= len(order):
        raise RuleError(_("The call has no further phase."))
    plan = copy.copy(call)
    for i, (_phase, start, end) in enumerate(PHASE_FIELDS):
        if i < target:
            for name in (start, end):
                if getattr(plan, name) > now:
                    setattr(plan, name, now)
        elif i == target:
            duration = max(getattr(plan, end) - getattr(plan, start), timedelta(days=1))
            setattr(plan, start, now)
            if getattr(plan, end) <= now:
                setattr(plan, end, now + duration)
        else:
            previous_end = getattr(plan, PHASE_FIELDS[i - 1][2])
            if getattr(plan, start) < previous_end:
                delta = previous_end - getattr(plan, start)
                setattr(plan, start, getattr(plan, start) + delta)
                setattr(plan, end, getattr(plan, end) + delta)
            if getattr(plan, end) <= getattr(plan, start):
                setattr(plan, end, getattr(plan, start) + timedelta(days=1))
    changes = {}
    for _phase, start, end in PHASE_FIELDS:
        for name in (start, end):
            if getattr(plan, name) != getattr(call, name):
                changes[name] = getattr(plan, name)
    return order[target], changes


def preview_advance(user, call: Call, now=None) -> dict:
    """What "start the next phase now" would do, for the confirmation step: the phase it starts,
    the phase running now, and each changed date as (label, old value, new value)."""
    now = now or timezone.now()
    require(user, "ideas.manage_call", call)
    target, changes = _planned_advance(call, now)
    return {
        "current": call.phase(now),
        "target": target,
        "changes": [
            (Call._meta.get_field(name).verbose_name, getattr(call, name), value)
            for name, value in changes.items()
        ],
    }


@transaction.atomic
def advance_phase(user, call: Call, now=None, expected_phase: str | None = None) -> str:
    """End the running phase now and start the next one now (later phases move if needed).

    ``expected_phase``: the phase the confirmation step showed as running; if the call is in
    another phase by now, nothing changes (the dates shown would no longer be the ones set)."""
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=call.pk)
    require(user, "ideas.manage_call", call)
    if expected_phase is not None and call.phase(now) != expected_phase:
        raise RuleError(
            _("The call's phase has changed in the meantime; please check the new dates again.")
        )
    _target, changes = _planned_advance(call, now)
    for name, value in changes.items():
        setattr(call, name, value)
    call.save()
    return call.phase(now)


# --- ideas -------------------------------------------------------------------------------------


def _recent_duplicate_idea(user, idea: Idea) -> Idea | None:
    return (
        Idea.objects.filter(
            call_id=idea.call_id,
            author=user,
            title=idea.title,
            summary=idea.summary,
            created_at__gte=double_submit_cutoff(),
        )
        .order_by("pk")
        .first()
    )


def _content_changed(idea: Idea, answers: dict[int, str], files) -> bool:
    before = Idea.objects.get(pk=idea.pk)
    if files or any(
        getattr(before, name) != getattr(idea, name) for name in ("title", "summary", "video_url")
    ):
        return True
    stored = dict(idea.answers.values_list("question_id", "text"))
    return any(stored.get(pk, "") != text for pk, text in answers.items())


@transaction.atomic
def save_idea(
    user, idea: Idea, answers: dict[int, str], files: list[tuple[str, object]], submit: bool
) -> Idea:
    """Create or update one's idea (draft or submitted), only during the submission phase.

    Changing a published idea sends it back to moderation: it leaves the public list until the
    call's managers publish it again. A second identical new idea within a minute (a double
    submit) returns the first one."""
    call = idea.call
    _require_phase(
        call, "submit", _("Ideas can only be submitted or edited during the submission phase.")
    )
    if idea.pk is None:
        if not is_confirmed(user):
            raise RuleError(_("Please confirm your e-mail address before submitting an idea."))
        require(user, "ideas.submit", call)
        _lock_actor(user)
        duplicate = _recent_duplicate_idea(user, idea)
        if duplicate is not None:
            return duplicate
        ratelimit.hit("idea", _rate_key(user))
        idea.author = user
    else:
        idea_in_db = Idea.objects.select_for_update().select_related("call").get(pk=idea.pk)
        if idea_in_db.status not in EDITABLE_STATUSES:
            raise RuleError(_("This idea can no longer be edited."))
        require(user, "ideas.edit_idea", idea_in_db)
        idea.status = idea_in_db.status
        if idea.status == Status.PUBLISHED and _content_changed(idea, answers, files):
            idea.status = Status.SUBMITTED
    if submit and idea.status == Status.DRAFT:
        idea.status = Status.SUBMITTED
        idea.submitted_at = timezone.now()
    idea.save()
    for question in call.questions.all():
        Answer.objects.update_or_create(
            idea=idea, question=question, defaults={"text": answers.get(question.pk, "")}
        )
    for kind, upload in files:
        IdeaFile.objects.filter(idea=idea, kind=kind).delete()
        IdeaFile.objects.create(
            idea=idea,
            kind=kind,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            content_type=getattr(upload, "content_type", "") or "",
        )
    return idea


@transaction.atomic
def moderate_idea(user, idea: Idea, publish: bool, reason: str = "") -> Idea:
    require(user, "ideas.moderate", idea)
    if idea.status not in (Status.SUBMITTED, Status.PUBLISHED, Status.REJECTED):
        raise RuleError(_("Only submitted ideas can be moderated."))
    if publish:
        idea.status, idea.rejection_reason = Status.PUBLISHED, ""
    else:
        if not reason.strip():
            raise RuleError(_("Please give a reason for the rejection."))
        idea.status, idea.rejection_reason = Status.REJECTED, reason.strip()
    idea.save(update_fields=["status", "rejection_reason", "updated_at"])
    _notify([idea.pk], idea.status)
    return idea


# --- votes -------------------------------------------------------------------------------------


def _check_can_vote(user, idea: Idea):
    if not user.is_authenticated:
        raise RuleError(_("Please log in to vote."))
    if not is_confirmed(user):
        raise RuleError(_("Please confirm your e-mail address before voting."))
    _require_phase(idea.call, "vote", _("Voting is not open."))
    if idea.status != Status.PUBLISHED:
        raise RuleError(_("This idea cannot receive votes."))
    if idea.author_id == user.pk:
        raise RuleError(_("You cannot vote for your own idea."))
    require(user, "ideas.vote", idea)


def _lock_ballot(call_id, user):
    """Lock the voter's row for this call (PostgreSQL); SQLite serialises write transactions."""
    Ballot.objects.get_or_create(call_id=call_id, voter=user)
    return Ballot.objects.select_for_update().get(call_id=call_id, voter=user)


@transaction.atomic
def cast_vote(user, idea: Idea) -> Idea:
    _check_can_vote(user, idea)
    ratelimit.hit("vote", _rate_key(user))
    call = idea.call
    _lock_ballot(call.pk, user)
    if Vote.objects.filter(voter=user, idea=idea).exists():
        raise RuleError(_("You have already voted for this idea."))
    if call.vote_budget is not None:
        used = Vote.objects.filter(voter=user, call=call).count()
        if used >= call.vote_budget:
            raise RuleError(
                _("You have used all %(budget)s of your votes. Withdraw a vote to vote again.")
                % {"budget": call.vote_budget}
            )
    try:
        with transaction.atomic():
            Vote.objects.create(voter=user, idea=idea, call=call)
    except IntegrityError as exc:  # a concurrent request of the same voter won the race
        raise RuleError(_("You have already voted for this idea.")) from exc
    Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
    idea.refresh_from_db(fields=["vote_count"])
    return idea


@transaction.atomic
def withdraw_vote(user, idea: Idea) -> Idea:
    if not user.is_authenticated:
        raise RuleError(_("Please log in to vote."))
    _require_phase(idea.call, "vote", _("Votes can only be withdrawn while voting is open."))
    require(user, "ideas.vote", idea)
    ratelimit.hit("vote", _rate_key(user))
    _lock_ballot(idea.call_id, user)
    deleted, _details = Vote.objects.filter(voter=user, idea=idea).delete()
    if not deleted:
        raise RuleError(_("You have not voted for this idea."))
    Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
    idea.refresh_from_db(fields=["vote_count"])
    return idea


def votes_left(user, call: Call) -> int | None:
    if call.vote_budget is None or not user.is_authenticated:
        return None
    return max(call.vote_budget - Vote.objects.filter(voter=user, call=call).count(), 0)


# --- comments ----------------------------------------------------------------------------------


@transaction.atomic
def add_comment(user, idea: Idea, text: str) -> Comment:
    """Comment on a published idea. The same comment sent twice within a minute (a double submit)
    is stored once."""
    if not is_confirmed(user):
        raise RuleError(_("Please confirm your e-mail address before commenting."))
    if not idea.is_public:
        raise RuleError(_("Comments are only possible on published ideas."))
    _require_phase(idea.call, "comment", _("Comments are closed for this call."))
    text = text.strip()
    if not text:
        raise RuleError(_("Please write a comment."))
    require(user, "ideas.comment", idea)
    _lock_actor(user)
    duplicate = (
        Comment.objects.filter(
            idea=idea,
            author=user,
            text=text,
            created_at__gte=double_submit_cutoff(),
        )
        .order_by("pk")
        .first()
    )
    if duplicate is not None:
        return duplicate
    ratelimit.hit("comment", _rate_key(user))
    return Comment.objects.create(idea=idea, author=user, text=text)


@transaction.atomic
def report_comment(user, comment: Comment, reason: str) -> CommentReport:
    """Report a visible comment of someone else to the call's managers."""
    if not user.is_authenticated:
        raise RuleError(_("Please log in to report a comment."))
    require(user, "ideas.report_comment", comment)
    if not reason.strip():
        raise RuleError(_("Please tell us why you report this comment."))
    ratelimit.hit("report", _rate_key(user))
    report, _created = CommentReport.objects.update_or_create(
        comment=comment, reporter=user, defaults={"reason": reason.strip()[:300], "resolved": False}
    )
    return report


@transaction.atomic
def moderate_comment(user, comment: Comment, hide: bool, note: str = "") -> Comment:
    require(user, "ideas.moderate", comment)
    comment.is_hidden = hide
    comment.moderation_note = note.strip()[:300] if hide else ""
    comment.save(update_fields=["is_hidden", "moderation_note"])
    comment.reports.update(resolved=True)
    return comment


# --- shortlist ---------------------------------------------------------------------------------


def proposed_shortlist(call: Call) -> list[int]:
    rows = list(
        call.ideas.filter(status__in=[Status.PUBLISHED, Status.SHORTLISTED]).values(
            "pk", "vote_count", "shortlist_override", "submitted_at"
        )
    )
    return shortlist(
        {r["pk"]: r["vote_count"] for r in rows},
        call.shortlist_size,
        include=[r["pk"] for r in rows if r["shortlist_override"] == Idea.Override.INCLUDE],
        exclude=[r["pk"] for r in rows if r["shortlist_override"] == Idea.Override.EXCLUDE],
        order={r["pk"]: (r["submitted_at"] or timezone.now()).timestamp() for r in rows},
    )


def _check_shortlist_open(user, call: Call):
    require(user, "ideas.manage_call", call)
    _require_phase(call, "shortlist", _("The shortlist cannot be changed in this phase."))
    if Score.objects.filter(idea__call=call).exists():
        raise RuleError(_("The jury has started scoring; the shortlist can no longer change."))
    require(user, "ideas.shortlist", call)


@transaction.atomic
def set_shortlist_override(user, idea: Idea, value: str) -> Idea:
    call = _lock_call(idea.call)
    _check_shortlist_open(user, call)
    if value not in Idea.Override.values:
        raise RuleError(_("Unknown shortlist choice."))
    if idea.status not in (Status.PUBLISHED, Status.SHORTLISTED):
        raise RuleError(_("Only published ideas can be put on the shortlist."))
    idea.shortlist_override = value
    idea.save(update_fields=["shortlist_override", "updated_at"])
    return idea


@transaction.atomic
def confirm_shortlist(user, call: Call) -> list[int]:
    """Fix the shortlist (after voting closed, before the jury has scored)."""
    _lock_call(call)
    _check_shortlist_open(user, call)
    if timezone.now() < call.voting_closes:
        raise RuleError(_("The shortlist can be fixed once community voting has closed."))
    chosen = proposed_shortlist(call)
    call.ideas.filter(status=Status.SHORTLISTED).exclude(pk__in=chosen).update(
        status=Status.PUBLISHED
    )
    newly = list(
        call.ideas.filter(pk__in=chosen)
        .exclude(status=Status.SHORTLISTED)
        .values_list("pk", flat=True)
    )
    call.ideas.filter(pk__in=chosen).update(status=Status.SHORTLISTED)
    _notify(newly, "shortlisted")
    return chosen


# --- jury --------------------------------------------------------------------------------------


def helix_of_user(user) -> tuple[str | None, Organisation | None]:
    """Helix group of a user's organisation (person profile first, then cluster role)."""
    person = Person.objects.filter(user=user).select_related("organisation").first()
    if person:
        return person.organisation.helix_type, person.organisation
    role = (
        ClusterRole.objects.filter(user=user, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    if role:
        return role.organisation.helix_type, role.organisation
    role = (
        ClusterRole.objects.filter(user=user, cluster__managing_organisation__isnull=False)
        .select_related("cluster__managing_organisation")
        .first()
    )
    if role:
        org = role.cluster.managing_organisation
        return org.helix_type, org
    return None, None


@transaction.atomic
def assign_juror(user, call: Call, juror, helix_type: str = "") -> JuryMember:
    """Seat ``juror`` on the call's jury (``user`` is the acting call manager)."""
    require(user, "ideas.manage_jury", call)
    derived, organisation = helix_of_user(juror)
    helix = helix_type or derived
    if helix not in HelixType.values:
        raise RuleError(
            _("The helix group of %(user)s is unknown; please choose it.") % {"user": juror}
        )
    member, created = JuryMember.objects.get_or_create(
        call=call, user=juror, defaults={"helix_type": helix, "organisation": organisation}
    )
    if not created:
        raise RuleError(_("%(user)s is already on the jury.") % {"user": juror})
    notify(
        [juror],
        "ideas.juror_appointed",
        reverse("ideas:jury_review", args=[call.slug]),
        **bilingual_params("call", call),
    )
    return member


@transaction.atomic
def remove_juror(user, member: JuryMember):
    require(user, "ideas.manage_jury", member.call)
    if member.scores.exists():
        raise RuleError(_("This juror has already scored ideas and cannot be removed."))
    member.delete()


def composition(call: Call):
    return jury_composition(call.jury.values_list("helix_type", flat=True))


def _seat_for_scoring(user, call: Call) -> JuryMember:
    require(user, "ideas.review", call)
    _require_phase(call, "score", _("Scores can only be given during the jury review phase."))
    require(user, "ideas.score", call)
    return JuryMember.objects.select_for_update().select_related("call").get(call=call, user=user)


@transaction.atomic
def save_scores(user, idea: Idea, values: dict[int, tuple[int, str]]):
    """Store the acting juror's scores for one idea: {criterion id: (score, comment)}."""
    call = idea.call
    juror = _seat_for_scoring(user, call)
    if juror.submitted_at:
        raise RuleError(_("You have already submitted your scores."))
    if idea.status not in (Status.SHORTLISTED, Status.REVIEWED):
        raise RuleError(_("Only shortlisted ideas are scored."))
    criteria = {c.pk: c for c in call.criteria.all()}
    for criterion_id, (value, comment) in values.items():
        if criterion_id not in criteria:
            raise RuleError(_("Unknown criterion."))
        if not call.scale_min <= value <= call.scale_max:
            raise RuleError(
                _("Scores must lie between %(min)s and %(max)s.")
                % {"min": call.scale_min, "max": call.scale_max}
            )
        Score.objects.update_or_create(
            juror=juror,
            idea=idea,
            criterion_id=criterion_id,
            defaults={"value": value, "comment": comment.strip()},
        )


@transaction.atomic
def submit_scores(user, call: Call) -> JuryMember:
    """The acting juror submits their scores (every shortlisted idea on every criterion)."""
    juror = _seat_for_scoring(user, call)
    if juror.submitted_at:
        raise RuleError(_("You have already submitted your scores."))
    expected = (
        call.ideas.filter(status__in=[Status.SHORTLISTED, Status.REVIEWED]).count()
        * call.criteria.count()
    )
    given = juror.scores.filter(idea__status__in=[Status.SHORTLISTED, Status.REVIEWED]).count()
    if given < expected:
        raise RuleError(
            _("Please score every shortlisted idea on every criterion (%(given)s of %(expected)s).")
            % {"given": given, "expected": expected}
        )
    juror.submitted_at = timezone.now()
    juror.save(update_fields=["submitted_at"])
    if not call.jury.filter(submitted_at__isnull=True).exists():
        call.ideas.filter(status=Status.SHORTLISTED).update(status=Status.REVIEWED)
    return juror


def rankings(call: Call, submitted_only: bool = False):
    """Jury ranking of the shortlisted ideas with spread between jurors (engine results)."""
    criteria = list(call.criteria.all())
    ideas = {
        i.pk: i
        for i in call.ideas.filter(
            status__in=[Status.SHORTLISTED, Status.REVIEWED, Status.AWARDED, Status.NOT_AWARDED,
                        Status.IMPLEMENTED]
        ).select_related("author")
    }  # fmt: skip
    scores = Score.objects.filter(idea__call=call)
    if submitted_only:
        scores = scores.filter(juror__submitted_at__isnull=False)
    rows = scores.values_list("idea_id", "juror_id", "criterion_id", "value")
    ranked = rank_ideas(
        rows, {c.pk: c.weight for c in criteria}, call.scale_min, call.scale_max, ideas=ideas
    )
    for r in ranked:
        r.object = ideas.get(r.idea)
        r.criterion_values = [r.criterion_means.get(c.pk) for c in criteria]
    return [r for r in ranked if r.object is not None]


_PLACE = re.compile(r"(\d{1,3})")


def _award_place(award: str) -> int | None:
    """The place an award names ("1. Preis", "1st prize", "Platz 2" → 1, 1, 2); None for awards
    without a place ("Sonderpreis")."""
    match = _PLACE.search(award or "")
    return int(match.group(1)) if match else None


def award_conflicts(call: Call, ranking=None) -> list[str]:
    """Warnings where the awards contradict the jury ranking: a better place for a lower-ranked
    idea, or a placed award while a higher-ranked finalist gets none."""
    ranking = rankings(call) if ranking is None else ranking
    ranked = {r.idea: r for r in ranking if r.rank}
    finalists = [
        i
        for i in call.ideas.filter(
            status__in=[Status.SHORTLISTED, Status.REVIEWED, Status.AWARDED]
        ).order_by("pk")
        if i.pk in ranked
    ]
    warnings = []
    for a in finalists:
        place_a = _award_place(a.award)
        if place_a is None:
            continue
        for b in finalists:
            if b.pk == a.pk or ranked[b.pk].rank >= ranked[a.pk].rank:
                continue
            # b is ranked higher by the jury than a
            place_b = _award_place(b.award)
            if not b.award.strip():
                warnings.append(
                    _(
                        "“%(a)s” (jury rank %(rank_a)s) gets “%(award_a)s”, but “%(b)s” "
                        "(jury rank %(rank_b)s) gets no award."
                    )
                    % {
                        "a": a.title,
                        "rank_a": ranked[a.pk].rank,
                        "award_a": a.award,
                        "b": b.title,
                        "rank_b": ranked[b.pk].rank,
                    }
                )
            elif place_b is not None and place_b > place_a:
                warnings.append(
                    _(
                        "“%(a)s” (jury rank %(rank_a)s) gets “%(award_a)s”, a better place than "
                        "“%(b)s” (jury rank %(rank_b)s) with “%(award_b)s”."
                    )
                    % {
                        "a": a.title,
                        "rank_a": ranked[a.pk].rank,
                        "award_a": a.award,
                        "b": b.title,
                        "rank_b": ranked[b.pk].rank,
                        "award_b": b.award,
                    }
                )
    return warnings


# --- results -----------------------------------------------------------------------------------


def _check_award_open(user, call: Call):
    require(user, "ideas.manage_call", call)
    if call.results_published:
        raise RuleError(_("The results are already published."))
    _require_phase(
        call, "award", _("Awards are given once the jury review has started, before the results.")
    )
    require(user, "ideas.award", call)


@transaction.atomic
def set_award(user, idea: Idea, award: str) -> Idea:
    call = _lock_call(idea.call)
    _check_award_open(user, call)
    if idea.status not in (Status.SHORTLISTED, Status.REVIEWED):
        raise RuleError(_("Only shortlisted ideas can be awarded."))
    idea.award = award.strip()[:120]
    idea.save(update_fields=["award", "updated_at"])
    return idea


@transaction.atomic
def publish_results(user, call: Call) -> Call:
    _lock_call(call)
    _check_award_open(user, call)
    now = timezone.now()
    if now < call.jury_closes:
        raise RuleError(_("Results can be published once the jury review has closed."))
    finalists = call.ideas.filter(status__in=[Status.SHORTLISTED, Status.REVIEWED])
    if not finalists.exclude(award="").exists():
        raise RuleError(_("Please award at least one idea first."))
    winners = list(finalists.exclude(award="").values_list("pk", flat=True))
    others = list(finalists.filter(award="").values_list("pk", flat=True))
    Idea.objects.filter(pk__in=winners).update(status=Status.AWARDED)
    Idea.objects.filter(pk__in=others).update(status=Status.NOT_AWARDED)
    _notify(winners, "awarded")
    _notify(others, "not_awarded")
    call.results_published_at = now
    call.save(update_fields=["results_published_at"])
    return call


@transaction.atomic
def mark_implemented(user, idea: Idea, note: str) -> Idea:
    """Report on the implementation of an awarded idea (call managers, once results are out)."""
    require(user, "ideas.moderate", idea)
    _require_phase(
        idea.call,
        "implement",
        _("Implementation follow-ups are possible once the results are out."),
    )
    require(user, "ideas.mark_implemented", idea)
    if idea.status not in (Status.AWARDED, Status.IMPLEMENTED):
        raise RuleError(_("Only awarded ideas can be marked as implemented."))
    if not note.strip():
        raise RuleError(_("Please describe how the idea is being implemented."))
    idea.status, idea.implementation_note = Status.IMPLEMENTED, note.strip()
    idea.save(update_fields=["status", "implementation_note", "updated_at"])
    return idea


def idea_list(user, call: Call, q: str = "", sort: str = "votes"):
    """The public ideas of a call for the list page (from the rule's list query)."""
    qs = (
        visible_ideas(user)
        .filter(call=call, status__in=Idea.PUBLIC_STATUSES)
        .select_related("author")
    )
    # A correlated subquery instead of JOIN + GROUP BY: the database counts comments only for the
    # ideas of the requested page, not for every idea of the call.
    comments = (
        Comment.objects.filter(idea=OuterRef("pk"), is_hidden=False)
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.annotate(comment_count=Coalesce(Subquery(comments), 0))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if sort == "new":
        return qs.order_by("-submitted_at", "-pk")
    if sort == "title":
        return qs.order_by("title", "pk")
    return qs.order_by("-vote_count", "submitted_at", "pk")
