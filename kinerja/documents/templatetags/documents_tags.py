from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ img|get_item:name }}``: a dict entry by a variable key."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
