"""Background tasks (django_tasks): embeddings and posting expiry."""

from django_tasks import task

from . import services, suggestions


@task()
def embed_posting(posting_id: int) -> int:
    return suggestions.embed_postings([posting_id])


@task()
def embed_organisations(organisation_ids: list[int] | None = None) -> int:
    return suggestions.embed_organisations(organisation_ids)


@task()
def expire_postings() -> int:
    return services.expire_postings()
