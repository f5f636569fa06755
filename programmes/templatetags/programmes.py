from django import template

from programmes import rules, selectors

register = template.Library()


@register.filter
def milestone_label(milestone: rules.Milestone) -> str:
    return selectors.milestone_label(milestone)


@register.filter
def evidence_label(kind: str) -> str:
    return selectors.EVIDENCE_LABELS.get(kind, kind.replace("_", " ").capitalize())
