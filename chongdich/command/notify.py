"""Telling people about tasks, through chongdich.notifications.

Command records what happened (events, escalations) whether or not anyone can be told; this is
the one place that knows how to tell them."""

from __future__ import annotations

from django.urls import reverse

from chongdich.notifications.services import notify


def send(*, recipients, event: str, subject: str, body: str, url: str = "", unit=None) -> bool:
    """Notify `recipients` (users); False when there is no one to tell."""
    people = [u for u in recipients if u is not None]
    if not people:
        return False
    notify(recipients=people, event=event, subject=subject, body=body, url=url, unit=unit)
    return True


def task_url(task) -> str:
    return reverse("command:task", args=[task.pk])


def agency_people(agency) -> list:
    """Who hears about an agency's tasks: its head's account and its members."""
    people = list(agency.members.filter(is_active=True))
    if agency.head_account_id and agency.head_account.is_active:
        people.append(agency.head_account)
    return people


def inspection_url(inspection) -> str:
    return reverse("command:inspection", args=[inspection.pk])
