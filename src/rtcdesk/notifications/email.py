"""The email channel: a notification as a UTF-8 MIME message, sent through an SMTP relay.

``build_message`` is pure (text in, message out); ``send`` talks to the relay configured in
the settings (``RTCDESK_SMTP_*``) with ``smtplib``. Without a relay every email delivery is
recorded as skipped. Refusals for good (5xx) are permanent failures; anything else (relay
down, 4xx, time-outs) raises and is retried by the delivery job's backoff.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from html import escape
from typing import TYPE_CHECKING

from rtcdesk.config import Settings
from rtcdesk.core.i18n import N_, translate
from rtcdesk.notifications.kinds import EMAIL, Channel, Outgoing, PermanentFailure, Skipped

if TYPE_CHECKING:
    from rtcdesk.bootstrap import Container

PREFERENCES_PATH = "/console/settings/notifications"
OPEN_LINK = N_("Open in rtcdesk: {url}")
WHY = N_("You get this email because of your notification settings: {url}")
NO_RELAY = "no SMTP relay is configured (set RTCDESK_SMTP_HOST)"


def message_id(delivery_id: int, sender: str) -> str:
    """A Message-ID fixed per delivery: a re-sent attempt carries the same one, so a relay
    or a mail client can tell it is the same message."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "rtcdesk.invalid"
    return f"<notification-{delivery_id}@{domain}>"


def _html_line(template: str, url: str, lang: str) -> str:
    """A translated sentence around a link, escaped, with the link as an <a> element."""
    mark = "\x00url\x00"
    sentence = escape(translate(template, {"url": mark}, lang))
    link = f'<a href="{escape(url)}">{escape(url)}</a>'
    return sentence.replace(escape(mark), link)


def build_message(outgoing: Outgoing, *, sender: str, base_url: str) -> EmailMessage:
    """The email for one delivery, in the recipient's language: plain text plus HTML."""
    lang = outgoing.language
    preferences = base_url.rstrip("/") + PREFERENCES_PATH
    text_lines = [outgoing.body] if outgoing.body else []
    html_parts = [f"<p>{escape(outgoing.body)}</p>".replace("\n", "<br>")] if outgoing.body else []
    if outgoing.url:
        text_lines += ["", translate(OPEN_LINK, {"url": outgoing.url}, lang)]
        html_parts.append(f"<p>{_html_line(OPEN_LINK, outgoing.url, lang)}</p>")
    text_lines += ["", "-- ", translate(WHY, {"url": preferences}, lang)]
    html_parts.append(f"<p><small>{_html_line(WHY, preferences, lang)}</small></p>")
    message = EmailMessage()
    message["Subject"] = outgoing.title
    message["From"] = sender
    message["To"] = formataddr((outgoing.recipient_name, outgoing.recipient_email))
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id(outgoing.delivery_id, sender)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Rtcdesk-Notification"] = outgoing.kind
    message.set_content("\n".join(text_lines) + "\n", charset="utf-8")
    html = f'<!doctype html><html lang="{escape(lang)}"><body>{"".join(html_parts)}</body></html>'
    message.add_alternative(html, subtype="html", charset="utf-8")
    message["Content-Language"] = lang  # after the content: setting content clears Content-*
    return message


def _tls_context(settings: Settings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.smtp_ca_file or None)


def _connect(settings: Settings) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    if settings.smtp_tls == "ssl":
        return smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=_tls_context(settings)
        )
    client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    if settings.smtp_tls == "starttls":
        client.starttls(context=_tls_context(settings))
    return client


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Hand ``message`` to the relay; raise ``PermanentFailure`` for a refusal for good."""
    try:
        with _connect(settings) as client:
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        if codes and all(_permanent(code) for code in codes):
            raise PermanentFailure(f"the relay refused the recipient: {exc.recipients}") from exc
        raise
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        if _permanent(exc.smtp_code):
            raw = exc.smtp_error
            detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            raise PermanentFailure(
                f"the relay refused the message: {exc.smtp_code} {detail}"
            ) from exc
        raise


def send(container: Container, outgoing: Outgoing) -> None:
    """The email channel's sender: skipped without a relay, else one SMTP transaction."""
    settings = container.settings
    if not settings.smtp_host:
        raise Skipped(NO_RELAY)
    if not outgoing.recipient_email:
        raise Skipped("the recipient has no email address")
    deliver(
        settings, build_message(outgoing, sender=settings.smtp_from, base_url=settings.base_url)
    )


CHANNEL = Channel(name=EMAIL, label=N_("Email"), send=send)
