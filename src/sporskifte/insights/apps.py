from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "sporskifte.insights"

    def ready(self) -> None:
        from sporskifte.accounts.menu import menu_condition
        from sporskifte.insights.selectors import insight_audience

        # Only those the figures page answers: a municipality's forum member has no scope and
        # would get a 404. No query: the answer comes from the membership.
        menu_condition("insights", lambda user: insight_audience(user) is not None)
