from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The pages that gather everything about a person or a team (the client page, the
    caseload, the supervisor's dashboard): a composition layer above every app, so that the
    apps below it need not import each other upward to show a whole picture."""

    name = "workspace"

    def ready(self) -> None:
        from workspace import tables  # noqa: F401  (registers the workspace's exports)
