"""The demo's launch guard: settings (strategic-tier policies during a launch, troubleshooting
opens as P1, a three-item checklist template), one launch active now (TeleHealth) and one
next week (EduSpark), each with its checklist partly done. Created through the service."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Organization, PlanTier
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.launches import service
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.launches.schemas import ItemCreate, ItemUpdate, LaunchCreate, PlatformIn, SettingsIn
from rtcdesk.sla.models import SlaPolicy
from rtcdesk.tickets.models import Category, Priority

CHECKLIST_TEMPLATE = (
    "SDK version verified 已确认 SDK 版本",
    "Weak-network lab run done 弱网实验室测试完成",
    "TURN capacity confirmed 已确认 TURN 容量",
)
# organization, title, description, zone, starts/ends (hours from now), peak, platforms,
# engineer, backup, items done (by index), due days from now for each template item
LAUNCHES = (
    (
        "TeleHealth Connect",
        "Video visits 2.0 go-live",
        "New video-visit SDK for 300 clinics; patients join from the app or the browser.",
        "Europe/Berlin",
        -3,
        45,
        20_000,
        (("ios", "4.3.1"), ("android", "4.3.1"), ("web", "4.3.0")),
        "wang.fang@rtcdesk.example",
        "liu.yang@rtcdesk.example",
        (0, 1),
        (-3, -2, -1),
    ),
    (
        "EduSpark Online Classroom",
        "Term start: 1,000 live classrooms",
        "First day of the school term; every classroom opens at 08:00 Singapore time.",
        "Asia/Singapore",
        7 * 24,
        7 * 24 + 12,
        40_000,
        (("web", "4.2.3"), ("windows", "4.2.3"), ("electron", "4.2.3")),
        "priya.nair@rtcdesk.example",
        "zhang.min@rtcdesk.example",
        (0,),
        (-1, 3, 5),
    ),
)


def load_launches(uow: UnitOfWork) -> list[LaunchWindow]:
    """Configure launch guard and register the demo's launches; return them."""
    strategic = {
        p.priority: p.id
        for p in uow.session.scalars(
            select(SlaPolicy).where(SlaPolicy.plan_tier == PlanTier.STRATEGIC)
        )
    }
    service.configure(
        uow,
        SYSTEM,
        SettingsIn(
            policies={Priority(p): i for p, i in strategic.items()},
            p1_categories=[Category.TROUBLESHOOTING],
            checklist_template=list(CHECKLIST_TEMPLATE),
        ),
    )
    agents = {a.email: a.id for a in uow.session.scalars(select(Agent))}
    orgs = {o.name: o.id for o in uow.session.scalars(select(Organization))}
    now = uow.clock.now().replace(second=0, microsecond=0)
    today = now.date()
    made = []
    for (
        org,
        title,
        description,
        zone,
        starts,
        ends,
        peak,
        platforms,
        engineer,
        backup,
        done,
        due,
    ) in LAUNCHES:
        launch = service.create_launch(
            uow,
            SYSTEM,
            LaunchCreate(
                organization_id=orgs[org],
                title=title,
                description=description,
                starts_at=now + timedelta(hours=starts),
                ends_at=now + timedelta(hours=ends),
                timezone=zone,
                peak_concurrency=peak,
                platforms=[PlatformIn(code, version) for code, version in platforms],
                engineer_id=agents[engineer],
                backup_id=agents[backup],
                checklist=[
                    ItemCreate(
                        title=item,
                        owner_id=agents[engineer if i % 2 == 0 else backup],
                        due_on=today + timedelta(days=due[i]),
                    )
                    for i, item in enumerate(CHECKLIST_TEMPLATE)
                ],
            ),
        )
        for index in done:
            service.update_item(
                uow, SYSTEM, launch.id, launch.items[index].id, ItemUpdate(done=True)
            )
        made.append(launch)
    return made
