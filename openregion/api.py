"""REST API (OpenAPI schema at /api/openapi.json, docs at /api/docs)."""

from ninja import NinjaAPI
from ninja.security import django_auth

from actors.api import router as actors_router
from events.api import router as events_router
from ideas.api import router as ideas_router
from matching.api import router as matching_router
from services.api import router as services_router

api = NinjaAPI(
    title="OpenRegion API",
    version="1.0.0",
    description="Actors, clusters, matchmaking, open calls, services and events of OpenRegion.",
    auth=None,
    urls_namespace="api",
)
api.add_router("/actors/", actors_router, tags=["actors"])
api.add_router("/marketplace/", matching_router, tags=["matchmaking"])
api.add_router("/calls/", ideas_router, tags=["open calls"])
api.add_router("/services/", services_router, tags=["services"])
api.add_router("/events/", events_router, tags=["events"])

__all__ = ["api", "django_auth"]
