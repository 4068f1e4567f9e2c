from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from core.ratelimit import RateLimited, hit

from .security import ip_key


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_login")
def count_failed_login(sender, credentials, request=None, **kwargs):
    """Count a failed login against its client address (scope "login"); the limit takes effect at
    the next attempt (LoginRateLimitBackend), so this one's answer stays the usual one."""
    if request is None:
        return
    try:
        hit("login", ip_key(request))
    except RateLimited:
        pass
