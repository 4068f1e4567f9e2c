from django import template

from core.policy import allowed as policy_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, perm, obj=None):
    """``{% allowed "ideas.vote" idea as can_vote %}``: ask the app's rule for the current user."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return policy_allowed(user, perm, obj)
