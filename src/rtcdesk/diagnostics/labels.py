"""Bilingual display labels of the values a report shows: metrics, stats properties,
stream directions, categories, severities, units, formats and platforms.

Pure data and string functions, shared by the renderers and the pages; the raw names stay
in the report as secondary evidence, these are what a person reads first.
"""

from __future__ import annotations

import re

from rtcdesk.core.platforms import platform_name
from rtcdesk.diagnostics.texts import TEXTS

Pair = tuple[str, str]  # (English, Chinese)


def pick(pair: Pair, lang: str) -> str:
    """The English or Chinese member of a label pair."""
    return pair[1] if lang == "zh-CN" else pair[0]


SEVERITY: dict[str, Pair] = {
    "info": ("Info", "提示"),
    "warning": ("Warning", "警告"),
    "error": ("Error", "错误"),
    "critical": ("Critical", "严重"),
}
CATEGORY: dict[str, Pair] = {
    "network": ("Network", "网络"),
    "ice": ("ICE connectivity", "ICE 连通性"),
    "cpu": ("CPU", "CPU"),
    "config": ("Configuration", "配置"),
    "media": ("Media", "媒体"),
    "audio": ("Audio", "音频"),
    "video": ("Video", "视频"),
    "sync": ("Audio/video sync", "音画同步"),
    "quality": ("Call quality", "通话质量"),
}
# The same words as the pages' catalogue (web/locale) uses for the four support layers.
TICKET_CATEGORY: dict[str, Pair] = {
    "integration": ("Integration", "基础集成"),
    "advanced_tuning": ("Advanced tuning", "高级调优"),
    "troubleshooting": ("Troubleshooting", "问题排查"),
    "consulting": ("Consulting", "定制咨询"),
}
FORMAT: dict[str, Pair] = {
    "webrtc-internals": ("Chrome webrtc-internals dump", "Chrome webrtc-internals 导出"),
    "webrtc-internals-legacy": (
        "Chrome webrtc-internals dump (legacy stats)",
        "Chrome webrtc-internals 导出（旧版统计）",
    ),
    "rtcstats-jitsi": ("rtcstats dump (Jitsi)", "rtcstats 导出（Jitsi）"),
    "rtcstats-v3": ("rtcstats.com dump", "rtcstats.com 导出"),
    "getstats": ("getStats() series", "getStats() 序列"),
}
DIRECTION: dict[str, Pair] = {
    "inbound": ("Received", "接收"),
    "outbound": ("Sent", "发送"),
    "remote-inbound": ("Sent, as the far end reports", "对端反馈的发送"),
    "source": ("Captured", "采集"),
    "received": ("Received", "接收"),
    "sent": ("Sent", "发送"),
}
KIND: dict[str, Pair] = {"audio": ("audio", "音频"), "video": ("video", "视频")}
STATE: dict[str, Pair] = {
    "new": ("new", "新建"),
    "checking": ("checking", "检查中"),
    "connecting": ("connecting", "连接中"),
    "connected": ("connected", "已连接"),
    "completed": ("completed", "已完成"),
    "disconnected": ("disconnected", "已断开"),
    "failed": ("failed", "失败"),
    "closed": ("closed", "已关闭"),
}
STATS_TYPE: dict[str, Pair] = {
    "inbound-rtp": ("received stream", "接收流"),
    "outbound-rtp": ("sent stream", "发送流"),
    "remote-inbound-rtp": ("far-end report on the sent stream", "对端对发送流的反馈"),
    "remote-outbound-rtp": ("far-end report on its sent stream", "对端发送流的反馈"),
    "candidate-pair": ("candidate pair", "候选对"),
    "media-source": ("capture source", "采集源"),
    "media-playout": ("audio playout", "音频播放"),
    "transport": ("transport", "传输"),
    "local-candidate": ("local candidate", "本地候选"),
}
PROPERTY: dict[str, Pair] = {
    "packetsLost": ("Packets lost", "丢包数"),
    "packetsReceived": ("Packets received", "收到的包数"),
    "packetsSent": ("Packets sent", "发送的包数"),
    "fractionLost": ("Fraction lost", "丢包比例"),
    "bytesReceived": ("Bytes received", "接收字节数"),
    "bytesSent": ("Bytes sent", "发送字节数"),
    "jitter": ("Jitter", "抖动"),
    "jitterBufferDelay": ("Jitter-buffer delay", "抖动缓冲延迟"),
    "jitterBufferEmittedCount": ("Jitter-buffer samples out", "抖动缓冲输出样本数"),
    "currentRoundTripTime": ("Round-trip time", "往返时延"),
    "roundTripTime": ("Round-trip time", "往返时延"),
    "availableOutgoingBitrate": ("Available outgoing bitrate", "可用上行码率"),
    "availableIncomingBitrate": ("Available incoming bitrate", "可用下行码率"),
    "qualityLimitationReason": ("Quality-limitation reason", "质量受限原因"),
    "qualityLimitationDurations.cpu": ("Time limited by CPU", "受 CPU 限制的时长"),
    "qualityLimitationDurations.bandwidth": ("Time limited by bandwidth", "受带宽限制的时长"),
    "framesDecoded": ("Frames decoded", "解码帧数"),
    "framesEncoded": ("Frames encoded", "编码帧数"),
    "framesReceived": ("Frames received", "收到的帧数"),
    "framesDropped": ("Frames dropped", "丢弃的帧数"),
    "framesPerSecond": ("Frame rate", "帧率"),
    "frameHeight": ("Frame height", "画面高度"),
    "totalDecodeTime": ("Total decode time", "累计解码时间"),
    "totalEncodeTime": ("Total encode time", "累计编码时间"),
    "totalFreezesDuration": ("Total freeze duration", "累计冻结时长"),
    "totalPausesDuration": ("Total pause duration", "累计暂停时长"),
    "freezeCount": ("Freezes", "卡顿次数"),
    "concealedSamples": ("Concealed samples", "补偿样本数"),
    "silentConcealedSamples": ("Silent concealed samples", "静音补偿样本数"),
    "totalSamplesReceived": ("Samples received", "收到的样本数"),
    "insertedSamplesForDeceleration": ("Samples inserted (slow-down)", "减速插入的样本数"),
    "removedSamplesForAcceleration": ("Samples removed (speed-up)", "加速移除的样本数"),
    "audioLevel": ("Audio level", "音量"),
    "totalAudioEnergy": ("Audio energy", "音频能量"),
    "totalSamplesDuration": ("Sample duration", "样本时长"),
    "nackCount": ("NACKs", "NACK 数"),
    "pliCount": ("PLIs", "PLI 数"),
    "firCount": ("FIRs", "FIR 数"),
    "estimatedPlayoutTimestamp": ("Estimated playout time", "预计播放时间"),
    "decoderImplementation": ("Decoder", "解码器"),
    "encoderImplementation": ("Encoder", "编码器"),
    "legacyExpandRate": ("Expand rate (legacy)", "扩展率（旧版）"),
    "legacyJitterBufferMs": ("Jitter buffer (legacy)", "抖动缓冲（旧版）"),
}
# Evidence metric names as the rules write them -> what a person reads.
METRIC: dict[str, Pair] = {
    "round-trip time": ("Round-trip time", "往返时延"),
    "time limited by bandwidth": ("Time limited by bandwidth", "受带宽限制的时间占比"),
    "available outgoing bitrate": ("Available outgoing bitrate", "可用上行码率"),
    "longest gap": ("Longest gap without media", "最长无媒体间隔"),
    "concealed samples": ("Concealed audio samples", "补偿合成的音频样本"),
    "accelerated/decelerated samples": ("Sped-up or slowed-down audio", "加速或减速播放的音频"),
    "silent share of sending time": ("Silent share of the sending time", "发送期间的静音时间占比"),
    "silent share of received audio": (
        "Silent share of the received audio",
        "接收音频中的静音占比",
    ),
    "audio packets per second": ("Audio packets per second", "每秒音频包数"),
    "video packets per second": ("Video packets per second", "每秒视频包数"),
    "packets per second the other way": ("Packets per second the other way", "反方向每秒包数"),
    "audio minus video playout": ("Audio playout minus video playout", "音频与视频播放时差"),
    "decoded frames per second": ("Frames decoded per second", "每秒解码帧数"),
    "frames encoded per second": ("Frames encoded per second", "每秒编码帧数"),
    "frames dropped": ("Received frames dropped", "丢弃的接收帧比例"),
    "decode time per frame": ("Decode time per frame", "每帧解码时间"),
    "encode time per frame": ("Encode time per frame", "每帧编码时间"),
    "freeze rate": ("Freeze rate", "卡顿率"),
    "frozen time": ("Frozen time", "冻结时长"),
    "time limited by CPU": ("Time limited by CPU", "受 CPU 限制的时间占比"),
    "local candidate types": ("Local candidate types gathered", "收集到的本地候选类型数"),
    "TURN servers configured": ("TURN server configured", "已配置 TURN 服务器"),
    "ICE candidate errors": ("ICE candidate errors", "ICE 候选错误数"),
    "relay protocol is TCP/TLS": ("Relay over TCP/TLS", "中继使用 TCP/TLS"),
    "decoderImplementation is NullVideoDecoder": (
        "Decoder is NullVideoDecoder",
        "解码器为 NullVideoDecoder",
    ),
    "NACKs sent per second": ("NACKs sent per second", "每秒发送的 NACK 数"),
    "PLIs sent per second": ("PLIs sent per second", "每秒发送的 PLI 数"),
    "FIRs sent per second": ("FIRs sent per second", "每秒发送的 FIR 数"),
    "packet loss": ("Packet loss", "丢包率"),
    "echoCancellation disabled": ("Echo cancellation turned off", "回声消除已关闭"),
    "noiseSuppression disabled": ("Noise suppression turned off", "降噪已关闭"),
    "autoGainControl disabled": ("Automatic gain control turned off", "自动增益已关闭"),
    "call audio MOS score": ("Call audio MOS", "通话音频 MOS"),
    "call video score": ("Call video score", "通话视频评分"),
}
UNIT: dict[str, Pair] = {
    "pkt/s": ("packets/s", "包/秒"),
    "1/s": ("per second", "次/秒"),
    "fps": ("fps", "帧/秒"),
    "s": ("s", "秒"),
    "px": ("px", "像素"),
    "count": ("", ""),
    "types": ("", ""),
    "1-5": ("", ""),
    "0–1": ("level 0–1", "音量 0–1"),
    "score 1–5": ("score", "评分"),
}
CHART_LINE: dict[str, Pair] = {
    "candidate-pair RTT": ("Round-trip time (candidate pair)", "往返时延（候选对）"),
    "audio MOS": ("Audio MOS", "音频 MOS"),
    "video score": ("Video score", "视频评分"),
}

_CONSEQUENCE = re.compile(r"^(?P<metric>.+) \(consequence: (?P<code>[a-z_.]+)\)$")
_LED_TO = re.compile(r"^led to (?P<code>[a-z_.]+)$")
_AROUND = re.compile(r"^(?P<metric>.+) around freezes$")
_KIND_LOSS = re.compile(r"^(?P<kind>audio|video) loss in windows$")
_JITTER = re.compile(r"^(?P<dir>inbound|remote-inbound) (?P<kind>audio|video) jitter$")
_HEIGHT = re.compile(r"^(?P<dir>sent|received) frame height \((?P<which>min|best)\)$")
_SERIES = re.compile(r"(?P<type>[a-z-]+) (?P<id>[^\s/]+)/(?P<props>[A-Za-z0-9_.,]+)")
_LINE = re.compile(r"^(?P<dir>inbound|outbound|remote-inbound|source) (?P<kind>audio|video) ?")


def label(table: dict[str, Pair], key: str | None, lang: str) -> str:
    """``key``'s label from ``table`` in ``lang``; the key itself when it has none."""
    if not key:
        return "–"
    pair = table.get(key)
    return pick(pair, lang) if pair else key


def finding_title(code: str, lang: str) -> str:
    """The title of a finding code in ``lang`` (the code when unknown)."""
    text = TEXTS.get(code)
    if text is None:
        return code
    title: str = text["title"].get(lang) or text["title"]["en"]
    return title.replace("{which}", "").replace("{which_zh}", "").strip()


def stream_name(direction: str, kind: str, lang: str) -> str:
    """'Received audio' / '接收音频'."""
    k = label(KIND, kind, lang)
    if direction == "remote-inbound":
        return f"对端反馈的发送{k}" if lang == "zh-CN" else f"Sent {k}, as the far end reports"
    d = label(DIRECTION, direction, lang)
    return f"{d}{k}" if lang == "zh-CN" else f"{d} {k}"


def metric_label(metric: str, lang: str) -> str:
    """A readable label for an evidence metric name, in ``lang``."""
    zh = lang == "zh-CN"
    if m := _CONSEQUENCE.match(metric):
        inner, title = metric_label(m["metric"], lang), finding_title(m["code"], lang)
        return f"{inner}（后果：{title}）" if zh else f"{inner} (consequence: {title})"
    if m := _LED_TO.match(metric):
        title = finding_title(m["code"], lang)
        return f"导致：{title}" if zh else f"Led to: {title}"
    if m := _AROUND.match(metric):
        inner = metric_label(m["metric"], lang)
        return f"卡顿前后的{inner}" if zh else f"{inner} around the freezes"
    if m := _KIND_LOSS.match(metric):
        kind = label(KIND, m["kind"], lang)
        return (
            f"问题时段内的{kind}丢包率" if zh else f"{kind.capitalize()} packet loss in the windows"
        )
    if m := _JITTER.match(metric):
        kind = label(KIND, m["kind"], lang)
        if m["dir"] == "remote-inbound":
            return (
                f"对端反馈的{kind}抖动（发送流）"
                if zh
                else f"Jitter of the sent {kind}, as the far end reports"
            )
        return f"接收{kind}抖动" if zh else f"Jitter of the received {kind}"
    if m := _HEIGHT.match(metric):
        d = label(DIRECTION, m["dir"], lang)
        if zh:
            return f"{d}画面高度（{'最低' if m['which'] == 'min' else '最佳'}）"
        return f"{d} frame height ({'lowest' if m['which'] == 'min' else 'best'})"
    return label(METRIC, metric, lang)


def series_label(series: str, lang: str) -> str:
    """Where an evidence number came from, for people: 'received stream · Packets lost, ...'."""
    sep, between = ("、", "；") if lang == "zh-CN" else (", ", "; ")
    out: list[str] = []
    for m in _SERIES.finditer(series):
        if m["type"] not in STATS_TYPE:
            continue
        props = sep.join(label(PROPERTY, p, lang) for p in m["props"].split(","))
        text = f"{label(STATS_TYPE, m['type'], lang)} · {props}"
        if text not in out:
            out.append(text)
    return between.join(out)


def line_label(raw: str, lang: str) -> str:
    """A chart legend entry: 'inbound audio IT01A…' -> 'Received audio (IT01A…)'."""
    if raw in CHART_LINE:
        return pick(CHART_LINE[raw], lang)
    m = _LINE.match(raw)
    if m is None:
        return raw
    rest = raw[m.end() :].strip()
    name = stream_name(m["dir"], m["kind"], lang)
    if not rest:
        return name
    return f"{name}（{rest}）" if lang == "zh-CN" else f"{name} ({rest})"


_UA_OS = (
    ("iPhone", "ios"),
    ("iPad", "ios"),
    ("Android", "android"),
    ("HarmonyOS", "harmonyos"),
    ("CrOS", "chromeos"),
    ("Windows", "windows"),
    ("Mac OS X", "macos"),
    ("Macintosh", "macos"),
    ("Linux", "linux"),
)
_UA_BROWSER = re.compile(
    r"(?P<name>Edg|OPR|HeadlessChrome|Chrome|CriOS|Firefox|FxiOS|Electron|Version)/(?P<v>\d+)"
)
_BROWSER_NAME = {"Edg": "Edge", "OPR": "Opera", "CriOS": "Chrome", "FxiOS": "Firefox",
                 "Version": "Safari", "HeadlessChrome": "Headless Chrome"}  # fmt: skip


def client_label(user_agent: str, lang: str) -> str:
    """'Chrome 131 on macOS' from a user agent; '' when it says nothing we recognise."""
    if not user_agent:
        return ""
    os_code = next((code for mark, code in _UA_OS if mark in user_agent), None)
    found = {m["name"]: m["v"] for m in _UA_BROWSER.finditer(user_agent)}
    browser = ""
    for key in ("Electron", "Edg", "OPR", "CriOS", "FxiOS", "Firefox", "HeadlessChrome"):
        if key in found:
            browser = f"{_BROWSER_NAME.get(key, key)} {found[key]}"
            break
    else:
        if "Chrome" in found:
            browser = f"Chrome {found['Chrome']}"
        elif "Version" in found and "Safari" in user_agent:
            browser = f"Safari {found['Version']}"
    platform = platform_name(os_code, lang) if os_code else ""
    if browser and platform:
        return f"{platform} 上的 {browser}" if lang == "zh-CN" else f"{browser} on {platform}"
    return browser or platform
