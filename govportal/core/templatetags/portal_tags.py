"""Template helpers for the public pages."""

from django import template

register = template.Library()
