from django.core.management.base import BaseCommand

from actors.demo import DemoBuilder
from actors.models import Organisation

SMALL = {"clusters": 5, "organisations": 1000}
LARGE = {"clusters": 110, "organisations": 15000}


class Command(BaseCommand):
    help = (
        "Create a demo ecosystem (~5 clusters, ~1,000 organisations; with --scale ~110 clusters, "
        "15,000 organisations). Does nothing if organisations exist, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="benchmark size")
        parser.add_argument("--clusters", type=int, help="number of clusters")
        parser.add_argument("--organisations", type=int, help="number of organisations")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="add data even if some exists")

    def handle(self, *args, **options):
        if Organisation.objects.exists() and not options["force"]:
            self.stdout.write("Demo data already present; nothing to do (use --force to add more).")
            return
        size = dict(LARGE if options["scale"] else SMALL)
        if options["clusters"]:
            size["clusters"] = options["clusters"]
        if options["organisations"]:
            size["organisations"] = options["organisations"]
        DemoBuilder(seed=options["seed"], stdout=self.stdout, **size).build()
        from django.apps import apps

        for app_config in apps.get_app_configs():
            seeder = getattr(app_config, "seed_demo", None)
            if callable(seeder):
                seeder(stdout=self.stdout, scale=options["scale"])
