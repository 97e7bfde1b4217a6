"""``{% link %}`` and ``{% static_link %}``: the site's addresses, absolute on the server and
relative in the offline bundle (atlas.links)."""

from typing import Any

from django import template

from atlas import links

register = template.Library()


@register.simple_tag
def link(viewname: str, *args: Any, **query: Any) -> str:
    """``{% link 'year-map' 1858 feature=slug %}``: positional arguments fill the URL,
    keyword arguments make its query string."""
    return links.link(viewname, *args, **query)


@register.simple_tag
def static_link(name: str) -> str:
    """``{% static_link 'atlas/atlas.css' %}``: a static file's address."""
    return links.static_link(name)
