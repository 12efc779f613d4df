from django.apps import AppConfig


class ServiceplansConfig(AppConfig):
    name = "serviceplans"
    verbose_name = "Assessments and service plans"
