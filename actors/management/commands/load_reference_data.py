from django.core.management.base import BaseCommand

from actors.models import Competence, NaceSector, NutsRegion
from actors.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh the NACE, NUTS and competence vocabularies shipped with OpenRegion."

    def handle(self, *args, **options):
        load_reference_data(NaceSector, NutsRegion, Competence)
        self.stdout.write(
            f"{NaceSector.objects.count()} sectors, {NutsRegion.objects.count()} regions, "
            f"{Competence.objects.count()} competences"
        )
