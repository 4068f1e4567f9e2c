"""Keep organisation embeddings current: re-embed in the background when a profile changes."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from actors.models import Organisation


@receiver(post_save, sender=Organisation, dispatch_uid="matching_embed_organisation")
def organisation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .tasks import embed_organisations

    transaction.on_commit(lambda: embed_organisations.enqueue([instance.pk]))
