"""Background imports (django-tasks; `chongdich db_worker` runs them, started by `make run`)."""

from django_tasks import task

from chongdich.imports import runner


@task()
def run_import(job_id: int) -> str:
    """Run one queued import job to the end; a job already claimed is left alone."""
    return runner.job_run(job_id).status
