"""Shared steps for browser tests."""


def login(page, live_server, email):
    """Log the browser in through a session cookie (the login form itself is tested elsewhere)."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
