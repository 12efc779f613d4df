from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo and synthetic data and the benchmark (``seed_demo``, ``seed_scale``, ``benchmark``):
    tooling, kept out of the apps. It stands above every app and nothing imports it."""

    name = "devtools"
