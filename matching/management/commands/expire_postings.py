from django.core.management.base import BaseCommand

from matching.services import expire_postings


class Command(BaseCommand):
    help = "Mark published postings whose deadline has passed as expired (run daily, e.g. cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_postings()} postings expired")
