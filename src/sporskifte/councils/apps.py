from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "sporskifte.councils"

    def ready(self) -> None:
        from sporskifte.accounts.menu import menu_answer, menu_condition
        from sporskifte.councils import selectors

        # The district's secretariat and administrators, and seated council members.
        menu_condition(
            "councils",
            lambda user: menu_answer(user, "councils", selectors.takes_part_in_councils),
        )
