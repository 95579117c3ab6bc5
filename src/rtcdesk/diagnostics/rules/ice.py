"""ICE rules: connection failure with its most likely reason, and relay use."""

from __future__ import annotations

import re

from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.model import Dump, PeerConnection
from rtcdesk.diagnostics.report import Evidence, Finding, Window
from rtcdesk.diagnostics.texts import make_finding

_TYP_RE = re.compile(r"\btyp\s+(host|srflx|prflx|relay)\b")
_CODE_RE = re.compile(r"error_?code\"?\s*[:=]\s*\"?(\d{3})", re.IGNORECASE)
_URL_RE = re.compile(r"\"?url\"?\s*[:=]\s*\"?((?:stuns?|turns?):[^\s\",}]+)", re.IGNORECASE)

STUCK_CHECKING_MS = 10_000  # never connected and still checking this long: treat as failed

REASONS = {
    "no_relay_configured": (
        "no TURN server is configured, so when a direct path is blocked (symmetric NAT, "
        "corporate firewall) there is no relay to fall back on.",
        "未配置 TURN 服务器；当直连被阻断（对称 NAT、企业防火墙）时没有中继可用。",
    ),
    "turn_auth_failed": (
        "the TURN server rejected the credentials (error {codes}), so no relay candidate was "
        "gathered. Check the username/credential and their expiry.",
        "TURN 服务器拒绝了凭据（错误 {codes}），"
        "因此没有收集到中继候选。请检查用户名/密码及其有效期。",
    ),
    "turn_unreachable": (
        "the configured TURN server could not be reached (errors {codes}); no relay candidate "
        "was gathered. The server may be down, mistyped, or blocked by a firewall.",
        "无法连接已配置的 TURN 服务器（错误 {codes}），"
        "没有收集到中继候选。服务器可能宕机、地址有误或被防火墙拦截。",
    ),
    "udp_blocked": (
        "only host candidates were gathered: STUN/TURN over UDP got no answer, so outbound "
        "UDP is most likely blocked. Offer TURN over TCP/TLS on port 443.",
        "只收集到 host 候选：UDP 上的 STUN/TURN 无响应，"
        "出站 UDP 很可能被阻断。请提供 443 端口的 TURN over TCP/TLS。",
    ),
    "beyond_nat": (
        "a relay candidate was gathered, so this side's TURN works; the checks failed further "
        "on: the remote side's network, missing remote candidates, or signalling.",
        "已收集到中继候选，本端 TURN 可用；"
        "连通性检查在更远处失败：对端网络、缺少对端候选或信令问题。",
    ),
    "unknown": (
        "the dump has no candidate information to tell why.",
        "转储中没有候选信息，无法判断原因。",
    ),
}


def candidate_types(pc: PeerConnection) -> set[str]:
    """Local candidate types gathered, from stats and onicecandidate events."""
    out: set[str] = set()
    for c in pc.of_type("local-candidate"):
        t = c.text("candidateType")
        if t:
            out.add(t)
    for e in pc.events:
        if e.type == "icecandidate":
            m = _TYP_RE.search(e.value)
            if m:
                out.add(m.group(1))
    return out


def ice_failure_reason(pc: PeerConnection) -> tuple[str, list[str]]:
    """Most likely reason ICE failed (decision table of the research note) and error codes."""
    types = candidate_types(pc)
    codes: list[str] = []
    turn_codes: list[str] = []
    for e in pc.events:
        if e.type == "icecandidateerror":
            cm = _CODE_RE.search(e.value)
            um = _URL_RE.search(e.value)
            code = cm.group(1) if cm else "?"
            codes.append(code)
            if um and um.group(1).lower().startswith("turn"):
                turn_codes.append(code)
    if "relay" in types:
        return "beyond_nat", codes
    if not types and not codes:
        return (
            "no_relay_configured" if not pc.config.has_turn and pc.config.raw else "unknown",
            codes,
        )
    if "srflx" not in types:
        if not pc.config.ice_servers and pc.config.raw:
            return "no_relay_configured", codes
        return "udp_blocked", codes
    if not pc.config.has_turn:
        return "no_relay_configured", codes
    if any(c in ("401", "403", "431", "437", "438", "441") for c in turn_codes):
        return "turn_auth_failed", turn_codes
    return "turn_unreachable", turn_codes or codes


def ice_failure(views: list[PcView], dump: Dump) -> list[Finding]:
    """ICE never connected (failed), with the most likely reason."""
    out: list[Finding] = []
    for pv in views:
        states = pv.states()
        values = [e.value for e in states]
        if any(v in ("connected", "completed") for v in values):
            continue
        failed = [e for e in states if e.value == "failed"]
        checking = [e for e in states if e.value in ("checking", "connecting")]
        stuck = bool(checking) and pv.end - checking[0].ts >= STUCK_CHECKING_MS
        if not failed and not stuck:
            continue
        end = failed[0].ts if failed else pv.end
        reason, codes = ice_failure_reason(pv.pc)
        en, zh = REASONS[reason]
        code_txt = ", ".join(sorted(set(codes))) or "none"
        types = sorted(candidate_types(pv.pc))
        evid = [
            Evidence(
                "local candidate types",
                float(len(types)),
                "types",
                f"PC {pv.pc.id}: local-candidate/candidateType + onicecandidate: "
                f"{', '.join(types) or 'none'}",
            ),
            Evidence(
                "TURN servers configured",
                float(pv.pc.config.has_turn),
                "bool",
                f"PC {pv.pc.id}: rtcConfiguration.iceServers",
            ),
            Evidence(
                "ICE candidate errors",
                float(len(codes)),
                "count",
                f"PC {pv.pc.id}: onicecandidateerror ({code_txt})",
            ),
        ]
        start = states[0].ts if states else end
        out.append(
            make_finding(
                "ice.failure",
                "critical",
                params={"reason": en.format(codes=code_txt)},
                windows=[Window(start, end)],
                evidence=evid,
                pc_id=pv.pc.id,
                variant=reason,
            )
        )
        out[-1].cause["zh-CN"] = f"ICE 失败。最可能的原因：{zh.format(codes=code_txt)}"
    return out


def relay_in_use(views: list[PcView], dump: Dump) -> list[Finding]:
    """The selected candidate pair goes through a TURN relay."""
    out: list[Finding] = []
    for pv in views:
        pair = pv.pair
        if pair is None:
            continue
        local = pv.pc.stats.get(pair.text("localCandidateId") or "")
        if local is None or local.text("candidateType") != "relay":
            continue
        proto = (local.text("relayProtocol") or local.text("protocol") or "udp").lower()
        tcp = proto in ("tcp", "tls")
        note = "; over TCP/TLS it also adds latency and head-of-line blocking" if tcp else ""
        note_zh = "；通过 TCP/TLS 还会增加延迟和队头阻塞" if tcp else ""
        url = local.text("url") or ""
        evid = [
            Evidence(
                "relay protocol is TCP/TLS",
                float(tcp),
                "bool",
                f"PC {pv.pc.id}: local-candidate {local.id}/relayProtocol={proto} {url}",
            )
        ]
        out.append(
            make_finding(
                "ice.relay_in_use",
                "warning" if tcp else "info",
                params={"protocol": proto.upper(), "tcp_note": note, "tcp_note_zh": note_zh},
                windows=[Window(pv.start, pv.end)],
                evidence=evid,
                pc_id=pv.pc.id,
                variant=proto,
            )
        )
    return out


RULES = [ice_failure, relay_in_use]
