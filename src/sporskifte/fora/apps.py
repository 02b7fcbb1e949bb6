from django.apps import AppConfig


class ForaConfig(AppConfig):
    name = "sporskifte.fora"

    def ready(self) -> None:
        from sporskifte.accounts.menu import menu_answer, menu_condition
        from sporskifte.fora import selectors

        # Forum members, the administrators who set fora up, and council members (their
        # counts). The administrator's answer costs no query, so it is not kept.
        menu_condition(
            "fora",
            lambda user: (
                selectors.admin_district_of(user) is not None
                or menu_answer(
                    user,
                    "fora",
                    lambda u: (
                        selectors.takes_part_in_fora(u) or selectors.forums_for_council(u).exists()
                    ),
                )
            ),
        )
