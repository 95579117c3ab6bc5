"""Human labels for stored values (statuses, priorities, ...); translated when shown."""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802  (gettext's conventional no-op marker)
    """Mark ``text`` for extraction into the catalog without translating it here."""
    return text


LABELS: dict[str, str] = {
    # media skills (platform skills are product names: core.platforms)
    "audio": N_("Audio"),
    "video": N_("Video"),
    "network": N_("Network"),
    "recording": N_("Recording"),
    "streaming": N_("Live streaming"),
    # statuses
    "new": N_("New"),
    "open": N_("Open"),
    "pending_customer": N_("Waiting for customer"),
    "on_hold": N_("On hold"),
    "solved": N_("Solved"),
    "closed": N_("Closed"),
    # categories (the four support layers)
    "integration": N_("Integration"),
    "advanced_tuning": N_("Advanced tuning"),
    "troubleshooting": N_("Troubleshooting"),
    "consulting": N_("Consulting"),
    # urgency / impact levels
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "critical": N_("Critical"),
    # channels
    "portal": N_("Portal"),
    "email": N_("Email"),
    "chat": N_("Chat"),
    "phone": N_("Phone"),
    "api": N_("API"),
    "proactive": N_("Proactive"),
    "console": N_("Console"),
    # platforms: core.platforms.PLATFORM_NAMES (product names, shown as they are)
    # plan tiers
    "free": N_("Free"),
    "standard": N_("Standard"),
    "premium": N_("Premium"),
    "enterprise": N_("Enterprise"),
    "strategic": N_("Strategic"),
    # on-call handovers
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
    "custom": N_("Every N days"),
    # roles
    "admin": N_("Administrator"),
    "manager": N_("Manager"),
    "agent": N_("Agent"),
    "tam": N_("Technical account manager"),
    # message kinds
    "public": N_("Public reply"),
    "internal": N_("Internal note"),
    # history fields
    "created": N_("Created"),
    "subject": N_("Subject"),
    "category": N_("Category"),
    "urgency": N_("Urgency"),
    "impact": N_("Impact"),
    "priority": N_("Priority"),
    "priority_override_reason": N_("Priority reason"),
    "status": N_("Status"),
    "platform": N_("Platform"),
    "sdk_version": N_("SDK version"),
    "app_id": N_("App ID"),
    "assignee_id": N_("Assignee"),
    "group_id": N_("Group"),
    "tags": N_("Tags"),
    "attachment": N_("Attachment"),
    "internal_attachment": N_("Internal attachment"),
    "link": N_("Linked ticket"),
    "merged_into": N_("Merged into"),
    "merged_from": N_("Merged from"),
    "related": N_("Related"),
    "duplicate": N_("Duplicate"),
    # SLA clocks and their states (history fields sla_<target>)
    "sla_first_response": N_("First response"),
    "sla_next_reply": N_("Next reply"),
    "sla_resolution": N_("Resolution"),
    "running": N_("Running"),
    "paused": N_("Paused"),
    "met": N_("Met"),
    "breached": N_("Breached"),
    "cancelled": N_("Cancelled"),
    # diagnoses
    "pending": N_("Analysing"),
    "done": N_("Done"),
    "failed": N_("Failed"),
    "not_a_dump": N_("Not a dump"),
    "info": N_("Info"),
    "warning": N_("Warning"),
    "error": N_("Error"),
    # notification deliveries ("failed" above) and channels ("email" above)
    "queued": N_("Queued"),
    "retrying": N_("Retrying"),
    "sent": N_("Sent"),
    "skipped": N_("Skipped"),
    "in_app": N_("In the console"),
    # dump formats (diagnostics.labels.FORMAT has the report's own bilingual names)
    "webrtc-internals": N_("Chrome webrtc-internals dump"),
    "webrtc-internals-legacy": N_("Chrome webrtc-internals dump (legacy stats)"),
    "rtcstats-jitsi": N_("rtcstats dump (Jitsi)"),
    "rtcstats-v3": N_("rtcstats.com dump"),
    "getstats": N_("getStats() series"),
    # log formats (logs.parsers.formats.FORMAT_LABELS has the report's own bilingual names)
    "chromium": N_("Chromium / libwebrtc log"),
    "rtc-sdk": N_("RTC SDK log (generic line format)"),
    "windows-app": N_("Windows app log"),
    "electron": N_("Electron app log"),
    "logcat-threadtime": N_("Android logcat (threadtime)"),
    "logcat-brief": N_("Android logcat (brief)"),
    "apple-unified": N_("Apple unified log (log show)"),
    "xcode": N_("Xcode console"),
    "console-text": N_("Browser console export (text)"),
    "console-json": N_("Browser console export (JSON)"),
    # actor kinds
    "contact": N_("Customer"),
    "organization_token": N_("Organization API"),
    "system": N_("System"),
    # pages and their steps
    "triggered": N_("Waiting for acknowledgement"),
    "acknowledged": N_("Acknowledged"),
    "escalated": N_("Escalated"),
    "resolved": N_("Closed with the ticket"),
}

# Titles of error pages and messages shown by views (translated where they are shown).
MESSAGES: tuple[str, ...] = (
    N_("Invalid input"),
    N_("Too large"),
    N_("Unsupported format"),
    N_("Not signed in"),
    N_("Permission denied"),
    N_("Not found"),
    N_("Conflict"),
    N_("Internal error"),
    N_("Request failed"),
    N_("Wrong method"),
    N_("Wrong email or password."),
    N_("Too many failed sign-ins. Wait 15 minutes and try again."),
    N_("Too many attempts"),
    # details of error pages the framework raises (web/errors.py)
    N_("there is nothing at this address"),
    N_("the request body is larger than allowed"),
    N_("this address does not accept that method"),
    N_("something went wrong on our side; the error has been logged"),
)
