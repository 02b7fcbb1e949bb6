"""Serve the demo identity provider on a loopback port: a page to pick a demo person and a
level of assurance, answering the SP's signed AuthnRequest with a signed, encrypted assertion.
Started by ``./dev run``; refused in production."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.core.management.base import BaseCommand

from sporskifte.saml import demo, oiosaml
from sporskifte.saml.idp import TestIdentityProvider

StartResponse = Any


def _page(title: str, body: str) -> bytes:
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


def _hidden(fields: dict[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )


class DemoIdentityProviderApp:
    def __init__(self, idp: TestIdentityProvider) -> None:
        self.idp = idp

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            params = parse_qs(environ["wsgi.input"].read(length).decode())
        else:
            params = parse_qs(environ.get("QUERY_STRING", ""))
        fields = {k: v[0] for k, v in params.items()}
        try:
            if path == "/metadata":
                return self._reply(start_response, self.idp.metadata().encode(), "text/xml")
            if path == "/sso":
                return self._reply(start_response, self._choose(fields))
            if path == "/answer":
                return self._reply(start_response, self._answer(fields))
            if path == "/slo":
                return self._logout(start_response, fields)
        except Exception as exc:  # a demo: show what went wrong instead of a bare 500
            body = _page("Fejl", f"<p>{html.escape(str(exc))}</p>")
            return self._reply(start_response, body, status="400 Bad Request")
        return self._reply(start_response, _page("Ikke fundet", ""), status="404 Not Found")

    def _reply(
        self,
        start_response: StartResponse,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
    ) -> list[bytes]:
        start_response(status, [("Content-Type", content_type)])
        return [body]

    def _request(self, fields: dict[str, str]) -> Any:
        return self.idp.parse_authn_request(
            fields["SAMLRequest"],
            relay_state=fields.get("RelayState", ""),
            sigalg=fields.get("SigAlg", ""),
            signature=fields.get("Signature", ""),
        )

    def _choose(self, fields: dict[str, str]) -> bytes:
        self._request(fields)  # the signature is checked before anyone is shown
        people = "".join(
            f'<p><label><input type="radio" name="person" value="{i}"'
            f"{' checked' if i == 0 else ''}>"
            f" {html.escape(p.name)} ({html.escape(p.email)})</label></p>"
            for i, p in enumerate((*demo.PEOPLE, demo.STRANGER))
        )
        levels = "".join(
            f'<p><label><input type="radio" name="level" value="{level}"'
            f"{' checked' if level == oiosaml.REQUIRED_LEVEL else ''}> NSIS {level}</label></p>"
            for level in oiosaml.LEVELS
        )
        return _page(
            "Demo-IdP: vælg en person",
            "<p>Kun til demo. En rigtig identitetsudbyder (NemLog-in, MitID Erhverv) beder "
            "om MitID her.</p>"
            f'<form method="post" action="/answer">{_hidden(fields)}'
            f"<fieldset><legend>Person</legend>{people}</fieldset>"
            f"<fieldset><legend>Sikringsniveau</legend>{levels}</fieldset>"
            '<button type="submit">Log ind</button></form>',
        )

    def _answer(self, fields: dict[str, str]) -> bytes:
        request = self._request(fields)
        chosen = (*demo.PEOPLE, demo.STRANGER)[int(fields.get("person", "0"))]
        level = fields.get("level", oiosaml.REQUIRED_LEVEL)
        saml_response = self.idp.response(request, demo.person(chosen, level))
        acs = request.message.assertion_consumer_service_url
        return _page(
            "Demo-IdP: videre til Sporskifte",
            f'<form method="post" action="{html.escape(acs)}">'
            + _hidden({"SAMLResponse": saml_response, "RelayState": fields.get("RelayState", "")})
            + '<button type="submit">Fortsæt til Sporskifte</button></form>',
        )

    def _logout(self, start_response: StartResponse, fields: dict[str, str]) -> list[bytes]:
        start_response("302 Found", [("Location", self.idp.logout_answer(fields))])
        return [b""]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Command(BaseCommand):
    help = "Serve the demo SAML identity provider on 127.0.0.1 (demo only)."

    def handle(self, *args: object, **options: object) -> None:
        demo.refuse_in_production()
        idp = demo.demo_idp()
        host, port = "127.0.0.1", int(idp.base_url.rsplit(":", 1)[1].strip("/"))
        self.stdout.write(f"Demo identity provider on {idp.base_url}")
        with make_server(
            host, port, DemoIdentityProviderApp(idp), handler_class=_QuietHandler
        ) as httpd:
            httpd.serve_forever()
