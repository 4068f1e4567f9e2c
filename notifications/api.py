"""REST endpoints: my notifications (rendered in the request's language) and marking them read.
Only the recipient sees a notification; another person's id is answered with 404."""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from core.api_pagination import BoundedPagination

from . import services
from .rules import visible_notifications

router = Router()

MAX_ID = 2**63 - 1
NotificationId = Annotated[int, Path(ge=1, le=MAX_ID)]


class NotificationOut(Schema):
    id: int
    kind: str
    group: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_link(obj) -> str:
        return services.localized_link(obj.link)


class MarkedOut(Schema):
    marked: int


@router.get("/", response=list[NotificationOut], auth=django_auth)
@paginate(BoundedPagination, page_size=30)
def list_notifications(request, unread: bool = False):
    qs = visible_notifications(request.user).order_by("-created_at", "-id")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


@router.post("/{notification_id}/read", response=NotificationOut, auth=django_auth)
def mark_read(request, notification_id: NotificationId):
    notification = get_object_or_404(visible_notifications(request.user), pk=notification_id)
    return services.mark_read(request.user, notification)


@router.post("/read", response=MarkedOut, auth=django_auth)
def mark_all_read(request):
    return {"marked": services.mark_all_read(request.user)}
