"""Open calls and idea competitions.

The call of cluster A's office (``w.call``, in its community voting phase) is managed by the current
manager of cluster A and by platform admins only. The revoked manager created it and is still listed
as a co-manager: neither grants anything without a current role. The juror sits on the call's jury.
Actions a role may take but the phase refuses (e.g. fixing the shortlist while voting runs) answer
with a message and a redirect, which counts as OK: the permission check was passed.
"""

from ideas.models import Comment, Idea, JuryMember, Phase
from tests.ideas.factories import CallFactory, IdeaFactory

from .matrix import (
    DENY,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    Api,
    Page,
    all_roles,
    everyone,
    logged_in,
    only,
)

Status = Idea.Status
MANAGERS = ("manager_a", "platform_admin")


def build(w):
    revoked = w.users["revoked_manager"]
    member = w.users["member"]

    def office_call(phase, **kwargs):
        call = CallFactory(
            phase=phase, organiser=w.org_manager_a, created_by=revoked, office=False, **kwargs
        )
        call.managers.add(revoked)  # where the stale cache used to grant rights
        return call

    w.call = office_call(Phase.VOTING, title="Matrix Ideenwettbewerb")
    w.submission_call = office_call(Phase.SUBMISSION, title="Matrix Einreichung")
    w.draft_call = office_call(Phase.SUBMISSION, title="Matrix Entwurf", is_published=False)
    w.idea = IdeaFactory(call=w.call, author=member, title="Matrix Idee")
    w.submitted_idea = IdeaFactory(
        call=w.call, author=member, title="Matrix eingereicht", status=Status.SUBMITTED
    )
    w.open_idea = IdeaFactory(call=w.submission_call, author=member, title="Matrix offen")
    w.comment = Comment.objects.create(idea=w.idea, author=w.users["org_admin"], text="Gut!")
    w.hidden_comment = Comment.objects.create(
        idea=w.idea, author=w.users["org_admin"], text="Werbung", is_hidden=True
    )
    w.jury_seat = JuryMember.objects.create(call=w.call, user=w.users["juror"], helix_type="civil")


call = lambda w: [w.call.slug]  # noqa: E731
call_and_idea = lambda w: [w.call.slug, w.idea.pk]  # noqa: E731
idea = lambda w: [w.idea.pk]  # noqa: E731

# Managers of the call (current role in the office's cluster) and platform admins
managers = only(*MANAGERS)


def seen_only_by(*roles, anonymous=HIDDEN, **overrides):
    """Objects that do not exist (404) for the roles who may not see them: draft calls, ideas
    awaiting moderation, hidden comments."""
    table = {**all_roles(HIDDEN), **{role: OK for role in roles}, "anonymous": anonymous}
    table.update(overrides)
    return table


ROUTES = [
    # --- public pages ------------------------------------------------------------------------
    Page("ideas:call_list", get=everyone(), post=NOT_ALLOWED),
    Page("ideas:call_detail", args=call, get=everyone(), post=NOT_ALLOWED),
    Page(
        "ideas:call_detail",
        args=lambda w: [w.draft_call.slug],
        get=seen_only_by(*MANAGERS),
        post=NOT_ALLOWED,
    ),
    Page("ideas:idea_list", args=call, get=everyone(), post=NOT_ALLOWED),
    Page("ideas:idea_detail", args=idea, get=everyone(), post=NOT_ALLOWED),
    # an idea awaiting moderation: its author and the call's managers
    Page(
        "ideas:idea_detail",
        args=lambda w: [w.submitted_idea.pk],
        get=seen_only_by("member", *MANAGERS),
        post=NOT_ALLOWED,
    ),
    Page("ideas:results", args=call, get=everyone(), post=NOT_ALLOWED),
    # --- taking part -------------------------------------------------------------------------
    # Logged-in users may open the form; an unconfirmed address is sent back with a message.
    Page(
        "ideas:idea_create",
        args=lambda w: [w.submission_call.slug],
        get=logged_in(),
        post=logged_in(),
    ),
    Page(
        "ideas:idea_create",
        args=lambda w: [w.draft_call.slug],
        get=seen_only_by(*MANAGERS, anonymous=LOGIN),
        post=seen_only_by(*MANAGERS, anonymous=LOGIN),
    ),
    # Only the author edits an idea; platform admins and managers do not write in others' names.
    Page(
        "ideas:idea_edit",
        args=lambda w: [w.open_idea.pk],
        get=only("member"),
        post=only("member"),
    ),
    Page(
        "ideas:idea_edit",
        args=lambda w: [w.submitted_idea.pk],
        get=seen_only_by("member", anonymous=LOGIN, manager_a=DENY, platform_admin=DENY),
        post=seen_only_by("member", anonymous=LOGIN, manager_a=DENY, platform_admin=DENY),
    ),
    # Voting and commenting: every logged-in user passes the check (refusals for an unconfirmed
    # address, one's own idea or an empty comment come back as a message).
    Page("ideas:vote", args=idea, get=NOT_ALLOWED, post=logged_in()),
    Page(
        "ideas:vote",
        args=lambda w: [w.submitted_idea.pk],
        get=NOT_ALLOWED,
        post=seen_only_by("member", *MANAGERS, anonymous=LOGIN),
    ),
    Page("ideas:comment_add", args=idea, get=NOT_ALLOWED, post=logged_in()),
    # Reporting: anyone logged in, not one's own comment, never a hidden one
    Page(
        "ideas:comment_report",
        args=lambda w: [w.comment.pk],
        get=NOT_ALLOWED,
        post=logged_in(org_admin=DENY),
        data=lambda w: {"reason": "Werbung"},
    ),
    Page(
        "ideas:comment_report",
        args=lambda w: [w.hidden_comment.pk],
        get=NOT_ALLOWED,
        post=seen_only_by(anonymous=LOGIN, manager_a=DENY, platform_admin=DENY),
        data=lambda w: {"reason": "Werbung"},
    ),
    # --- moderation: the call's managers only ----------------------------------------------
    Page(
        "ideas:comment_moderate",
        args=lambda w: [w.comment.pk],
        get=NOT_ALLOWED,
        post=managers,
        data=lambda w: {"action": "hide"},
    ),
    Page(
        "ideas:comment_moderate",
        args=lambda w: [w.hidden_comment.pk],
        get=NOT_ALLOWED,
        post=seen_only_by(*MANAGERS, anonymous=LOGIN),
        data=lambda w: {"action": "show"},
    ),
    Page(
        "ideas:idea_moderate",
        args=lambda w: [w.submitted_idea.pk],
        get=NOT_ALLOWED,
        post=seen_only_by(*MANAGERS, anonymous=LOGIN, member=DENY),
        data=lambda w: {"action": "publish"},
    ),
    Page(
        "ideas:idea_moderate",
        args=idea,
        get=NOT_ALLOWED,
        post=managers,
        data=lambda w: {"action": "reject", "reason": "Kein Bezug"},
    ),
    Page("ideas:idea_implemented", args=idea, get=NOT_ALLOWED, post=managers),
    # --- running a call ----------------------------------------------------------------------
    Page(
        "ideas:call_create",
        get=only("manager_a", "manager_b", "platform_admin"),
        post=only("manager_a", "manager_b", "platform_admin"),
    ),  # fmt: skip
    Page("ideas:call_edit", args=call, get=managers, post=managers),
    Page(
        "ideas:call_edit",
        args=lambda w: [w.draft_call.slug],
        get=seen_only_by(*MANAGERS, anonymous=LOGIN),
        post=seen_only_by(*MANAGERS, anonymous=LOGIN),
    ),
    Page("ideas:call_manage", args=call, get=managers, post=NOT_ALLOWED),
    Page("ideas:call_advance", args=call, get=NOT_ALLOWED, post=managers),
    Page("ideas:shortlist_confirm", args=call, get=NOT_ALLOWED, post=managers),
    Page(
        "ideas:shortlist_override",
        args=call_and_idea,
        get=NOT_ALLOWED,
        post=managers,
        data=lambda w: {"override": "include"},
    ),
    Page("ideas:juror_add", args=call, get=NOT_ALLOWED, post=managers),
    Page(
        "ideas:juror_remove",
        args=lambda w: [w.call.slug, w.jury_seat.pk],
        get=NOT_ALLOWED,
        post=managers,
    ),
    Page(
        "ideas:manager_add",
        args=call,
        get=NOT_ALLOWED,
        post=managers,
        data=lambda w: {"email": w.users["manager_b"].email},
    ),
    Page(
        "ideas:award_set",
        args=call_and_idea,
        get=NOT_ALLOWED,
        post=managers,
        data=lambda w: {"award": "1. Preis"},
    ),
    Page("ideas:results_publish", args=call, get=NOT_ALLOWED, post=managers),
    Page(
        "ideas:export",
        args=lambda w: [w.call.slug, "ideas", "csv"],
        get=managers,
        post=NOT_ALLOWED,
    ),
    Page(
        "ideas:export",
        args=lambda w: [w.call.slug, "scores", "xlsx"],
        get=managers,
        post=NOT_ALLOWED,
    ),
    # --- the jury: only those seated on it ---------------------------------------------------
    Page(
        "ideas:jury_review",
        args=call,
        get=only("juror"),
        post=only("juror"),
        data=lambda w: {"idea": w.idea.pk},
    ),
    Page("ideas:jury_submit", args=call, get=NOT_ALLOWED, post=only("juror")),
    # --- API ---------------------------------------------------------------------------------
    Api("GET", "/api/calls/", expect=everyone()),
    Api(
        "GET", "/api/calls/{slug}/ideas", params=lambda w: {"slug": w.call.slug}, expect=everyone()
    ),  # fmt: skip
    Api(
        "GET",
        "/api/calls/{slug}/ideas",
        params=lambda w: {"slug": w.draft_call.slug},
        expect=seen_only_by(*MANAGERS),
    ),
]


# The login refuses an unconfirmed address (accounts.backends.EmailBackend), so the "unconfirmed"
# role meets every page as a visitor does.
for _route in ROUTES:
    for _expectation in [_route.get, _route.post] if isinstance(_route, Page) else [_route.expect]:
        _expectation["unconfirmed"] = _expectation["anonymous"]
