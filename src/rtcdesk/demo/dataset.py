"""Load the named demo dataset: six customer organizations across every plan tier, their
developers, twelve support engineers across levels, skills, groups and languages, routing
rules, and about 300 tickets in Chinese and English about real RTC problems, each routed as
it was opened, with replies, notes and status histories.

Everything goes through the services, exactly as real traffic would. The content is
deterministic (a fixed seed); timestamps are placed in the 90 days before loading.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from rtcdesk.accounts import service as accounts
from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import (
    DEFAULT_MAX_LOAD,
    Agent,
    AgentLevel,
    AgentRole,
    Availability,
    Contact,
    Group,
    Language,
    Organization,
    PlanTier,
)
from rtcdesk.accounts.schemas import AgentCreate, ContactCreate, GroupCreate, OrganizationCreate
from rtcdesk.accounts.service import agent_actor, contact_actor
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.demo.content import (
    FOLLOWUP_EN,
    FOLLOWUP_ZH,
    PROBLEMS,
    REPLIES_EN,
    REPLIES_ZH,
    Problem,
)
from rtcdesk.demo.escalation import load_escalation, run_due_timers
from rtcdesk.demo.launches import load_launches
from rtcdesk.demo.sla import load_sla
from rtcdesk.demo.sla_states import load_sla_states
from rtcdesk.oncall import service as oncall
from rtcdesk.oncall.links import link_key
from rtcdesk.oncall.rotation import Handover
from rtcdesk.oncall.schemas import LayerCreate, OverrideCreate, ScheduleCreate
from rtcdesk.routing import service as routing
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Category, Channel, Impact, MessageKind, Status, Urgency
from rtcdesk.tickets.schemas import MessageCreate, TicketCreate, TicketUpdate

DEMO_PASSWORD = "rtcdesk-demo"  # noqa: S105  (published demo credential, on purpose)
SEED = 2026
TICKET_COUNT = 300

GROUPS = (
    ("Integration L1", "First response, triage, integration questions"),
    ("Audio L2", "Echo, noise, AEC/ANS/AGC, audio devices"),
    ("Network L2", "ICE/TURN, weak networks, latency, cross-border routing"),
    ("Client SDKs", "iOS, Android, Web, desktop and cross-platform SDKs"),
    ("Video L2", "Stutter, black screens, resolution ladders, codecs, A/V sync"),
    ("Solutions consulting", "Custom hardware, private protocols, special business logic"),
)

# name, categories, skills, languages, group index, lowest level, pick an agent
RULES = (
    ("Integration questions", ("integration",), (), (), 0, "L1", True),
    ("Audio quality", ("troubleshooting", "advanced_tuning"), ("audio",), (), 1, "L2", True),
    ("Video quality", ("troubleshooting", "advanced_tuning"), ("video",), (), 4, "L2", True),
    ("Network problems", (), ("network",), (), 2, "L2", True),
    ("Consulting engagements", ("consulting",), (), (), 5, "L1", False),
    ("Other troubleshooting in Chinese", ("troubleshooting",), (), ("zh-CN",), 3, "L1", True),
)
# Agents away when the demo starts (the console shows the switch in their header).
AWAY = ("emma.wilson@rtcdesk.example",)

# email, name, role, level, skills, languages, timezone, groups
AGENTS = (
    (
        "chen.jing@rtcdesk.example",
        "陈静 Chen Jing",
        "admin",
        "L3",
        ("audio", "video", "network"),
        ("zh-CN", "en"),
        "Asia/Shanghai",
        (1, 5),
    ),
    (
        "sarah.miller@rtcdesk.example",
        "Sarah Miller",
        "manager",
        "L3",
        ("video", "web"),
        ("en",),
        "America/Los_Angeles",
        (4, 5),
    ),
    (
        "wang.fang@rtcdesk.example",
        "王芳 Wang Fang",
        "tam",
        "L3",
        ("audio", "video", "android"),
        ("zh-CN", "en"),
        "Asia/Shanghai",
        (1, 4),
    ),
    (
        "david.kim@rtcdesk.example",
        "David Kim",
        "tam",
        "L2",
        ("web", "network"),
        ("en", "ko"),
        "Asia/Singapore",
        (2,),
    ),
    (
        "li.wei@rtcdesk.example",
        "李伟 Li Wei",
        "agent",
        "L3",
        ("audio", "network", "android"),
        ("zh-CN", "en"),
        "Asia/Shanghai",
        (1, 2),
    ),
    (
        "priya.nair@rtcdesk.example",
        "Priya Nair",
        "agent",
        "L3",
        ("video", "web", "ios"),
        ("en",),
        "Asia/Kolkata",
        (4, 3),
    ),
    (
        "zhang.min@rtcdesk.example",
        "张敏 Zhang Min",
        "agent",
        "L2",
        ("android", "ios", "flutter"),
        ("zh-CN",),
        "Asia/Shanghai",
        (3,),
    ),
    (
        "tom.becker@rtcdesk.example",
        "Tom Becker",
        "agent",
        "L2",
        ("windows", "macos", "electron", "unity"),
        ("en", "de"),
        "Europe/Berlin",
        (3,),
    ),
    (
        "liu.yang@rtcdesk.example",
        "刘洋 Liu Yang",
        "agent",
        "L2",
        ("network", "web", "server"),
        ("zh-CN", "en"),
        "Asia/Shanghai",
        (2,),
    ),
    (
        "zhao.lei@rtcdesk.example",
        "赵磊 Zhao Lei",
        "agent",
        "L1",
        ("android", "web"),
        ("zh-CN",),
        "Asia/Shanghai",
        (0,),
    ),
    (
        "emma.wilson@rtcdesk.example",
        "Emma Wilson",
        "agent",
        "L1",
        ("ios", "web"),
        ("en",),
        "Europe/London",
        (0,),
    ),
    (
        "sun.hao@rtcdesk.example",
        "孙浩 Sun Hao",
        "agent",
        "L1",
        ("android", "ios"),
        ("zh-CN", "en"),
        "Asia/Shanghai",
        (0,),
    ),
)

# name, tier, timezone, language, TAM index, platforms, app ids, share tickets, weight, contacts
ORGANIZATIONS = (
    (
        "星海直播 Xinghai Live",
        "strategic",
        "Asia/Shanghai",
        "zh-CN",
        2,
        ("ios", "android", "web"),
        ("xh-live-prod", "xh-live-test"),
        True,
        80,
        (
            ("周晓明", "zhou.xm@xinghai.example"),
            ("林雪", "lin.xue@xinghai.example"),
            ("Kevin Xu", "kevin.xu@xinghai.example"),
        ),
    ),
    (
        "EduSpark Online Classroom",
        "enterprise",
        "Asia/Singapore",
        "en",
        3,
        ("web", "windows", "macos", "electron"),
        ("eduspark-main",),
        True,
        60,
        (
            ("Aisha Rahman", "aisha@eduspark.example"),
            ("Ben Ong", "ben.ong@eduspark.example"),
            ("Chloe Tan", "chloe.tan@eduspark.example"),
        ),
    ),
    (
        "语聊派对 VoiceParty",
        "premium",
        "Asia/Shanghai",
        "zh-CN",
        None,
        ("android", "ios", "flutter"),
        ("voiceparty",),
        False,
        60,
        (("何俊", "he.jun@voiceparty.example"), ("马丽", "ma.li@voiceparty.example")),
    ),
    (
        "TeleHealth Connect",
        "standard",
        "Europe/Berlin",
        "en",
        None,
        ("ios", "android", "web"),
        ("thc-prod",),
        False,
        45,
        (
            ("Jonas Weber", "jonas.weber@telehealth.example"),
            ("Maria Rossi", "maria.rossi@telehealth.example"),
        ),
    ),
    (
        "云会议科技 CloudMeet",
        "premium",
        "Asia/Shanghai",
        "zh-CN",
        None,
        ("windows", "macos", "electron", "web"),
        ("cloudmeet-desktop",),
        True,
        40,
        (("吴昊", "wu.hao@cloudmeet.example"), ("郑琳", "zheng.lin@cloudmeet.example")),
    ),
    (
        "PixelForge Games",
        "free",
        "America/New_York",
        "en",
        None,
        ("unity", "android", "ios"),
        ("pixelforge-arena",),
        False,
        15,
        (("Sam Carter", "sam@pixelforge.example"),),
    ),
)

SDK_VERSIONS = ("4.1.2", "4.2.0", "4.2.3", "4.3.0", "4.3.1", "3.8.6")


@dataclass(frozen=True)
class DemoSummary:
    """How much the demo loaded."""

    organizations: int
    contacts: int
    agents: int
    tickets: int


def has_data(container: Container) -> bool:
    """Whether the database already holds organizations or agents."""
    with container.uow(write=False) as uow:
        orgs = uow.session.scalar(select(func.count()).select_from(Organization)) or 0
        agents = uow.session.scalar(select(func.count()).select_from(Agent)) or 0
    return bool(orgs or agents)


def load_demo(container: Container, *, ticket_count: int = TICKET_COUNT) -> DemoSummary:
    """Load the dataset: people, organizations, policies, schedules and the generated tickets
    in one transaction (all of it, or nothing); then the due SLA timers of a few generated
    tickets run through the real threshold job (so they show escalations), then the SLA and
    paging showcase tickets (``demo.sla_states``), each step committed at its moment."""
    rng = random.Random(SEED)
    end = container.clock.now().replace(microsecond=0)
    clock = FrozenClock(end - timedelta(days=91))
    with UnitOfWork(container.session_factory, container.bus, clock) as uow:
        agents = _load_agents(uow)
        _load_rules(uow)
        load_sla(uow)
        load_escalation(uow)
        orgs = _load_organizations(uow, agents)
        contacts = {
            org.id: list(
                uow.session.scalars(select(Contact).where(Contact.organization_id == org.id))
            )
            for org in orgs
        }
        weights = [spec[8] for spec in ORGANIZATIONS]
        starts = sorted(
            end - timedelta(minutes=rng.randint(30, 90 * 24 * 60)) for _ in range(ticket_count)
        )
        for number, start in enumerate(starts):
            org = rng.choices(orgs, weights=weights)[0]
            _load_ticket(uow, clock, rng, number, start, end, org, contacts[org.id], agents)
        clock.set(end)
        _load_on_call(uow, agents)
        load_launches(uow)
        for agent in agents:
            if agent.email in AWAY:
                accounts.set_availability(uow, agent_actor(agent), Availability.AWAY)
        uow.commit()
    # A few overdue generated tickets escalated the way a worker would (the rest wait for one).
    run_due_timers(container)
    # Then the SLA and paging showcase, one transaction per step at its own moment.
    showcase = load_sla_states(
        lambda: UnitOfWork(container.session_factory, container.bus, clock),
        clock,
        link_key(container.settings.secret_key, container.settings.data_dir),
    )
    return DemoSummary(
        organizations=len(orgs),
        contacts=sum(len(c) for c in contacts.values()),
        agents=len(agents),
        tickets=ticket_count + len(showcase),
    )


def _load_agents(uow: UnitOfWork) -> list[Agent]:
    groups = [
        accounts.create_group(uow, SYSTEM, GroupCreate(name=name, description=description))
        for name, description in GROUPS
    ]
    agents = []
    for email, name, role, level, skills, langs, tz, group_idx in AGENTS:
        agents.append(
            accounts.create_agent(
                uow,
                SYSTEM,
                AgentCreate(
                    email=email,
                    name=name,
                    role=AgentRole(role),
                    level=AgentLevel(level),
                    skills=list(skills),
                    languages=list(langs),
                    timezone=tz,
                    group_ids=[groups[i].id for i in group_idx],
                    # Senior engineers carry more at once; everyone else the default.
                    max_load=12 if level == "L3" else DEFAULT_MAX_LOAD,
                    password=DEMO_PASSWORD,
                ),
            )
        )
    return agents


ON_CALL_SCHEDULE = "RTC 7x24"
# email of each layer's participants in rotation order: primary L2, secondary L3
ON_CALL_LAYERS = (
    (
        "Primary (L2)",
        ("zhang.min@rtcdesk.example", "tom.becker@rtcdesk.example", "liu.yang@rtcdesk.example"),
    ),
    ("Secondary (L3)", ("li.wei@rtcdesk.example", "priya.nair@rtcdesk.example")),
)


def _load_on_call(uow: UnitOfWork, agents: list[Agent]) -> None:
    """The 7x24 schedule: weekly Monday 09:00 handovers (Beijing time) for two layers, which
    started four weeks ago, and one upcoming weekend cover on the primary layer."""
    by_email = {a.email: a for a in agents}
    group = uow.session.scalar(select(Group).where(Group.name == GROUPS[1][0]))
    schedule = oncall.create_schedule(
        uow,
        SYSTEM,
        ScheduleCreate(
            name=ON_CALL_SCHEDULE,
            timezone="Asia/Shanghai",
            description="Media quality escalations around the clock",
            group_id=group.id if group else None,
            manager_agent_id=by_email["sarah.miller@rtcdesk.example"].id,
            # Pages for tickets of teams without a schedule of their own come here too.
            is_default=True,
        ),
    )
    zone = ZoneInfo("Asia/Shanghai")
    today = uow.clock.now().astimezone(zone).date()
    monday = today - timedelta(days=today.weekday() + 28)
    layers = [
        oncall.add_layer(
            uow,
            SYSTEM,
            schedule.id,
            LayerCreate(
                name=name,
                starts_on=monday,
                participant_ids=[by_email[e].id for e in emails],
                handover=Handover.WEEKLY,
                handover_time="09:00",
            ),
        )
        for name, emails in ON_CALL_LAYERS
    ]
    saturday = today + timedelta(days=5 - today.weekday() + (7 if today.weekday() >= 5 else 0))
    # The weekend's primary swaps with the next in the rotation.
    primary = ON_CALL_LAYERS[0][1]
    cover = primary[((saturday - monday).days // 7 + 1) % len(primary)]
    oncall.add_override(
        uow,
        SYSTEM,
        schedule.id,
        OverrideCreate(
            agent_id=by_email[cover].id,
            layer_id=layers[0].id,
            starts_at=datetime.combine(saturday, time(9, 0), tzinfo=zone),
            ends_at=datetime.combine(saturday + timedelta(days=1), time(21, 0), tzinfo=zone),
            reason="Weekend cover: swapped with the primary for a family holiday",
        ),
    )


def _load_rules(uow: UnitOfWork) -> None:
    groups = {g.name: g.id for g in uow.session.scalars(select(Group))}
    for name, categories, skills, langs, group, level, assign in RULES:
        routing.create_rule(
            uow,
            SYSTEM,
            RuleCreate(
                name=name,
                categories=[Category(c) for c in categories],
                skills=list(skills),
                languages=list(langs),
                group_id=groups[GROUPS[group][0]],
                min_level=AgentLevel(level),
                assign=assign,
            ),
        )


def _load_organizations(uow: UnitOfWork, agents: list[Agent]) -> list[Organization]:
    orgs = []
    for name, tier, tz, lang, tam, platforms, app_ids, share, _w, people in ORGANIZATIONS:
        org = accounts.create_organization(
            uow,
            SYSTEM,
            OrganizationCreate(
                name=name,
                plan_tier=PlanTier(tier),
                timezone=tz,
                language=Language(lang),
                tam_agent_id=agents[tam].id if tam is not None else None,
                sdk_platforms=list(platforms),
                app_ids=list(app_ids),
                share_tickets=share,
                notes="Demo customer." if tier != "strategic" else "Launch on the 1st: guard it.",
            ),
        )
        for person, email in people:
            accounts.create_contact(
                uow,
                SYSTEM,
                ContactCreate(
                    organization_id=org.id,
                    email=email,
                    name=person,
                    language=Language(lang),
                    password=DEMO_PASSWORD,
                ),
            )
        orgs.append(org)
    return orgs


def _pick_agent(rng: random.Random, agents: list[Agent], problem: Problem, zh: bool) -> Agent:
    engineers = [a for a in agents if a.role in (AgentRole.AGENT, AgentRole.TAM)]
    fitting = [
        a
        for a in engineers
        if set(a.skills) & (set(problem.tags) | set(problem.platforms))
        and (("zh-CN" in a.languages) if zh else ("en" in a.languages))
    ]
    return rng.choice(fitting or engineers)


def _load_ticket(
    uow: UnitOfWork,
    clock: FrozenClock,
    rng: random.Random,
    number: int,
    start: datetime,
    end: datetime,
    org: Organization,
    people: list[Contact],
    agents: list[Agent],
) -> None:
    problem = PROBLEMS[number % len(PROBLEMS)] if number < len(PROBLEMS) else rng.choice(PROBLEMS)
    zh = org.language is Language.ZH_CN and rng.random() > 0.1
    sdk = rng.choice(SDK_VERSIONS)
    requester = rng.choice(people)
    customer = contact_actor(requester)
    clock.set(start)
    urgency = rng.choices(list(Urgency), weights=(3, 5, 3, 1))[0]
    impact = rng.choices(list(Impact), weights=(3, 5, 3, 1))[0]
    channel = rng.choices((Channel.PORTAL, Channel.EMAIL, Channel.API), weights=(6, 3, 1))[0]
    ticket = tickets.create_ticket(
        uow,
        customer,
        TicketCreate(
            subject=problem.subject_zh if zh else problem.subject_en,
            body=(problem.body_zh if zh else problem.body_en).format(sdk=sdk),
            category=Category(problem.category),
            urgency=urgency,
            impact=impact,
            platform=rng.choice(problem.platforms),
            sdk_version=sdk,
            app_id=rng.choice(org.app_ids) if org.app_ids else None,
        ),
        channel=channel,
    )
    # Routed in its own step, as the creating request would be at its commit.
    decision = routing.route_new_ticket(uow, ticket.id)
    age = end - start
    if age < timedelta(hours=2) and rng.random() < 0.7:
        return  # still new and untouched
    picked = _pick_agent(rng, agents, problem, zh)
    routed = next((a for a in agents if decision and a.id == decision.agent_id), None)
    engineer = routed or picked
    agent = agent_actor(engineer)
    clock.advance(timedelta(minutes=rng.randint(5, 240)))
    tickets.update_ticket(
        uow,
        agent,
        ticket.id,
        TicketUpdate(assignee_id=engineer.id, tags=list(problem.tags)),
    )
    if rng.random() < 0.35:
        tickets.add_message(
            uow,
            agent,
            ticket.id,
            MessageCreate(body=problem.note, kind=MessageKind.INTERNAL),
            channel=Channel.CONSOLE,
        )
    clock.advance(timedelta(minutes=rng.randint(5, 120)))
    if clock.now() >= end:
        return
    tickets.add_message(
        uow,
        agent,
        ticket.id,
        MessageCreate(
            body=(problem.answer_zh if zh else problem.answer_en).format(sdk=sdk),
            status=Status.PENDING_CUSTOMER,
        ),
        channel=Channel.CONSOLE,
    )
    _continue_conversation(uow, clock, rng, ticket.id, customer, agent, zh, end)


def _continue_conversation(
    uow: UnitOfWork,
    clock: FrozenClock,
    rng: random.Random,
    ticket_id: int,
    customer: Actor,
    agent: Actor,
    zh: bool,
    end: datetime,
) -> None:
    outcome = rng.random()
    clock.advance(timedelta(hours=rng.randint(1, 30)))
    if clock.now() >= end or outcome < 0.15:
        return  # waiting for the customer
    replies = REPLIES_ZH if zh else REPLIES_EN
    if outcome < 0.55:
        tickets.add_message(
            uow, customer, ticket_id, MessageCreate(body=replies[2]), channel=Channel.PORTAL
        )
        clock.advance(timedelta(minutes=rng.randint(10, 300)))
        tickets.update_ticket(uow, agent, ticket_id, TicketUpdate(status=Status.SOLVED))
        if rng.random() < 0.5 and clock.now() + timedelta(days=4) < end:
            clock.advance(timedelta(days=4))
            tickets.update_ticket(uow, agent, ticket_id, TicketUpdate(status=Status.CLOSED))
        return
    tickets.add_message(
        uow,
        customer,
        ticket_id,
        MessageCreate(body=rng.choice((replies[0], replies[1], replies[3]))),
        channel=Channel.PORTAL,
    )
    clock.advance(timedelta(minutes=rng.randint(10, 600)))
    if clock.now() >= end:
        return
    status = rng.choice((Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.SOLVED))
    tickets.add_message(
        uow,
        agent,
        ticket_id,
        MessageCreate(body=FOLLOWUP_ZH if zh else FOLLOWUP_EN, status=status),
        channel=Channel.CONSOLE,
    )
