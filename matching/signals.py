"""Keep organisation embeddings current: re-embed in the background when a profile changes."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from actors.models import Collaboration, Organisation

from .models import OrganisationEmbedding, Posting


@receiver(post_save, sender=Organisation, dispatch_uid="matching_embed_organisation")
def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .tasks import embed_organisations

    transaction.on_commit(lambda: embed_organisations.enqueue([instance.pk]))


def _stale(sender, **kwargs):
    from .suggestions import mark_stale

    mark_stale()


for _model in (Organisation, Collaboration, OrganisationEmbedding, Posting):
    post_save.connect(_stale, sender=_model, dispatch_uid=f"matching_stale_save_{_model.__name__}")
    post_delete.connect(
        _stale, sender=_model, dispatch_uid=f"matching_stale_delete_{_model.__name__}"
    )


def _drop_organisations(sender, **kwargs):
    from .suggestions import clear_cache

    clear_cache("organisations")  # sector links are not part of the cache key


def _drop_postings(sender, **kwargs):
    from .suggestions import clear_cache

    clear_cache("postings")


m2m_changed.connect(
    _drop_organisations, sender=Organisation.sectors.through, dispatch_uid="matching_org_sectors"
)
m2m_changed.connect(
    _drop_postings, sender=Posting.sectors.through, dispatch_uid="matching_posting_sectors"
)
