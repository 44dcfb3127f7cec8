"""Background delivery of notifications (django-tasks; the db_worker runs them)."""

from django_tasks import task

from chongdich.notifications import services


@task()
def deliver_notification(delivery_id: int) -> str:
    """Send one e-mail or webhook delivery if it is due and nobody else is sending it."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "not_claimed"
