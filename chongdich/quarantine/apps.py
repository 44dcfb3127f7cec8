from django.apps import AppConfig


class QuarantineConfig(AppConfig):
    name = "chongdich.quarantine"
    label = "quarantine"
    verbose_name = "Cách ly và điều trị"

    def ready(self):
        # Testing knows nothing of quarantine: it calls whoever registered for new samples.
        from chongdich.quarantine.services import scheduled_tests_after_samples
        from chongdich.testing import hooks

        if scheduled_tests_after_samples not in hooks.sample_taken_hooks:
            hooks.sample_taken_hooks.append(scheduled_tests_after_samples)
