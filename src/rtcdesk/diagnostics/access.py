"""Who may see which diagnosis."""

from __future__ import annotations

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics.models import DiagnosticReport
from rtcdesk.tickets.models import Attachment, Ticket


def can_see(actor: Actor, report: DiagnosticReport) -> bool:
    """Agents see every report. Customers see self-service reports of their organization:
    their own, or their colleagues' where the organization shares tickets. Diagnoses of
    ticket attachments are working material for the support team."""
    if actor.is_agent:
        return True
    if report.ticket_id is not None or report.organization_id != actor.organization_id:
        return False
    if actor.kind is ActorKind.CONTACT and not actor.share_tickets:
        return report.created_by_contact_id == actor.id
    return True


def get_report(uow: UnitOfWork, actor: Actor, report_id: int) -> DiagnosticReport:
    """A report the actor may see; others do not exist for them."""
    report = uow.session.get(DiagnosticReport, report_id)
    if report is None or not can_see(actor, report):
        raise NotFound("diagnosis {report_id} not found", params={"report_id": report_id})
    return report


def can_see_summary(
    actor: Actor, report: DiagnosticReport, attachment: Attachment, ticket: Ticket
) -> bool:
    """The customer-facing summary of a ticket attachment's diagnosis (summary, findings and
    what to do, never notes): support staff, and customers who can see ``ticket`` (checked by
    the caller through ``tickets.access``) for a public file the customer side attached."""
    if (
        report.ticket_id != ticket.id
        or report.attachment_id != attachment.id
        or attachment.ticket_id != ticket.id
        or report.organization_id != ticket.organization_id
    ):
        return False
    if actor.is_agent:
        return True
    if attachment.internal or attachment.uploaded_by_agent_id is not None:
        return False
    return actor.organization_id == ticket.organization_id
