"""Notifications: everybody logged in reads their own list, marks their own notifications read and
sets their e-mail preferences. A notification belongs to its recipient only: for everybody else it
does not exist (404), the platform admin included. The world's notification is the member's.
Unconfirmed users cannot log in at all (accounts), so they meet every page as visitors do.
"""

from notifications.services import notify

from .matrix import HIDDEN, LOGIN, NOT_ALLOWED, ROLES, Api, Page, logged_in, only

V = {"unconfirmed": LOGIN}
# the member's notification: hidden from every other logged-in role
MEMBERS_OWN = only(
    "member",
    **{r: HIDDEN for r in ROLES if r not in ("anonymous", "unconfirmed", "member")},
    **V,
)


def build(w):
    [w.member_notification] = notify(
        [w.users["member"]],
        "matching.interest_declined",
        "/marketplace/",
        title="Matrix Benachrichtigung",
    )


ROUTES = [
    Page("notifications:list", get=logged_in(**V), post=NOT_ALLOWED),
    Page("notifications:list", query="?page=99999999999999999999", get=logged_in(**V)),
    Page(
        "notifications:mark_read",
        args=lambda w: [w.member_notification.pk],
        get=NOT_ALLOWED,
        post=MEMBERS_OWN,
    ),
    Page(
        "notifications:mark_read",
        args=lambda w: [w.member_notification.pk],
        get=NOT_ALLOWED,
        post=MEMBERS_OWN,
        data=lambda w: {"open": "1"},
    ),
    Page("notifications:mark_all_read", get=NOT_ALLOWED, post=logged_in(**V)),
    Page("notifications:preferences", get=logged_in(**V), post=logged_in(**V)),
    Page(
        "notifications:preferences",
        get=logged_in(**V),
        post=logged_in(**V),
        data=lambda w: {
            "marketplace": "in_app",
            "memberships": "in_app_and_email",
            "calls": "in_app",
            "services": "in_app",
            "events": "in_app_and_email",
        },
    ),
    # --- API ---------------------------------------------------------------------------------
    Api("GET", "/api/notifications/", expect=logged_in(**V)),
    Api("GET", "/api/notifications/", query="?unread=true", expect=logged_in(**V)),
    Api(
        "POST",
        "/api/notifications/{notification_id}/read",
        params=lambda w: {"notification_id": w.member_notification.pk},
        expect=MEMBERS_OWN,
    ),
    Api("POST", "/api/notifications/read", expect=logged_in(**V)),
]
