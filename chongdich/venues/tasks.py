"""Background work of venues (django-tasks; `chongdich db_worker` runs them)."""

from django_tasks import task

from chongdich.venues import services, services_exposures


@task()
def run_matching(job_ids: list[int]) -> dict:
    """Match the visits of newly confirmed F0s (or confirmed F1s) and store the proposals."""
    return services_exposures.matching_run(job_ids=job_ids)


@task()
def purge_checkins() -> dict:
    """Drop the check-ins older than the retention period (cron: `chongdich purge-checkins`)."""
    result = services.checkins_purge()
    return {k: str(v) for k, v in result.items()}
