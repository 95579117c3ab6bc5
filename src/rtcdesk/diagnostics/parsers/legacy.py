"""Map legacy ``goog`` stats (Chrome before M122) onto standard W3C stats names.

Only properties with a real equivalent are mapped; the original objects are kept too.
"""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics.model import PeerConnection, Series, StatsObject

_CAND_TYPES = {
    "local": "host",
    "host": "host",
    "stun": "srflx",
    "srflx": "srflx",
    "prflx": "prflx",
    "relay": "relay",
    "relayed": "relay",
}

# legacy property -> (standard property, scale)
_SEND = {
    "bytesSent": ("bytesSent", 1.0),
    "packetsSent": ("packetsSent", 1.0),
    "framesEncoded": ("framesEncoded", 1.0),
    "googFrameWidthSent": ("frameWidth", 1.0),
    "googFrameHeightSent": ("frameHeight", 1.0),
    "googFrameRateSent": ("framesPerSecond", 1.0),
    "googNacksReceived": ("nackCount", 1.0),
    "googPlisReceived": ("pliCount", 1.0),
    "googFirsReceived": ("firCount", 1.0),
    "googAvgEncodeMs": ("legacyAvgEncodeMs", 1.0),
}
_REMOTE = {
    "packetsLost": ("packetsLost", 1.0),
    "googRtt": ("roundTripTime", 0.001),
    "googJitterReceived": ("jitter", 0.001),
}
_SOURCE = {
    "audioInputLevel": ("audioLevel", 1 / 32767),
    "googEchoCancellationReturnLoss": ("echoReturnLoss", 1.0),
    "googEchoCancellationReturnLossEnhancement": ("echoReturnLossEnhancement", 1.0),
}
_RECV = {
    "bytesReceived": ("bytesReceived", 1.0),
    "packetsReceived": ("packetsReceived", 1.0),
    "packetsLost": ("packetsLost", 1.0),
    "googJitterReceived": ("jitter", 0.001),
    "framesDecoded": ("framesDecoded", 1.0),
    "framesReceived": ("framesReceived", 1.0),
    "googFrameWidthReceived": ("frameWidth", 1.0),
    "googFrameHeightReceived": ("frameHeight", 1.0),
    "googFrameRateOutput": ("framesPerSecond", 1.0),
    "googNacksSent": ("nackCount", 1.0),
    "googPLIsSent": ("pliCount", 1.0),
    "googFirsSent": ("firCount", 1.0),
    "audioOutputLevel": ("audioLevel", 1 / 32767),
    "googJitterBufferMs": ("legacyJitterBufferMs", 1.0),
    "googDecodeMs": ("legacyDecodeMs", 1.0),
    "googExpandRate": ("legacyExpandRate", 1.0),
}


def is_legacy_key(key: str) -> bool:
    """True for keys of the legacy goog stats format."""
    return key.startswith(("Conn-", "ssrc_", "bweforvideo"))


def _copy(src: StatsObject, dst: StatsObject, table: dict[str, tuple[str, float]]) -> None:
    for old, (new, scale) in table.items():
        s = src.num(old)
        if s is not None:
            v = np.asarray(s.values, dtype=np.float64)
            dst.props[new] = Series(s.ts, v * scale if scale != 1.0 else v)


def _copy_text(src: StatsObject, dst: StatsObject, old: str, new: str) -> None:
    s = src.props.get(old)
    if s is not None:
        dst.props[new] = s


def _is_true(obj: StatsObject, name: str) -> bool:
    t = obj.text(name)
    return t is not None and t.lower() in ("true", "1")


def convert_legacy(pc: PeerConnection) -> None:
    """Add standard-typed stats objects derived from the legacy ones of ``pc``."""
    new: dict[str, StatsObject] = {}
    active: StatsObject | None = None
    for sid, obj in list(pc.stats.items()):
        if sid.startswith("Conn-"):
            obj.type = "googCandidatePair"
            pair = StatsObject(id=f"CP-{sid}", type="candidate-pair")
            _copy(
                obj,
                pair,
                {
                    "googRtt": ("currentRoundTripTime", 0.001),
                    "bytesSent": ("bytesSent", 1.0),
                    "bytesReceived": ("bytesReceived", 1.0),
                },
            )
            cand = StatsObject(id=f"LC-{sid}", type="local-candidate")
            ctype = _CAND_TYPES.get((obj.text("googLocalCandidateType") or "").lower())
            if ctype:
                cand.props["candidateType"] = _const(obj, ctype)
            _copy_text(obj, cand, "googTransportType", "protocol")
            new[cand.id] = cand
            pair.props["localCandidateId"] = _const(obj, cand.id)
            if _is_true(obj, "googActiveConnection"):
                pair.props["nominated"] = _const(obj, "true")
                pair.props["state"] = _const(obj, "succeeded")
                active = pair
            new[pair.id] = pair
        elif sid.startswith("ssrc_"):
            kind = obj.text("mediaType") or ""
            if sid.endswith("_send"):
                obj.type = "googSsrcSend"
                out = StatsObject(id=f"OT-{sid}", type="outbound-rtp")
                _copy(obj, out, _SEND)
                _copy_text(obj, out, "googCodecName", "codec")
                _copy_text(obj, out, "codecImplementationName", "encoderImplementation")
                _quality_reason(obj, out)
                rem = StatsObject(id=f"RI-{sid}", type="remote-inbound-rtp")
                _copy(obj, rem, _REMOTE)
                rem.props["localId"] = _const(obj, out.id)
                new[out.id] = out
                new[rem.id] = rem
                if kind == "audio":
                    src = StatsObject(id=f"SA-{sid}", type="media-source")
                    _copy(obj, src, _SOURCE)
                    src.props["kind"] = _const(obj, "audio")
                    new[src.id] = src
                for o in (out, rem):
                    o.props["kind"] = _const(obj, kind)
            elif sid.endswith("_recv"):
                obj.type = "googSsrcRecv"
                inb = StatsObject(id=f"IT-{sid}", type="inbound-rtp")
                _copy(obj, inb, _RECV)
                _copy_text(obj, inb, "googCodecName", "codec")
                _copy_text(obj, inb, "codecImplementationName", "decoderImplementation")
                inb.props["kind"] = _const(obj, kind)
                new[inb.id] = inb
        elif sid.startswith("bweforvideo"):
            obj.type = "googBwe"
    bwe = pc.stats.get("bweforvideo")
    if bwe is not None:
        target = active or StatsObject(id="CP-bweforvideo", type="candidate-pair")
        _copy(
            bwe,
            target,
            {
                "googAvailableSendBandwidth": ("availableOutgoingBitrate", 1.0),
                "googAvailableReceiveBandwidth": ("availableIncomingBitrate", 1.0),
                "googTargetEncBitrate": ("targetBitrate", 1.0),
            },
        )
        new[target.id] = target
    pc.stats.update(new)


def _const(src: StatsObject, value: str) -> Series:
    """A one-sample string series at the last timestamp of any property of ``src``."""
    t = max((float(s.ts[-1]) for s in src.props.values() if len(s.ts)), default=0.0)
    return Series(np.asarray([t], dtype=np.float64), [value])


def _quality_reason(src: StatsObject, dst: StatsObject) -> None:
    cpu = src.props.get("googCpuLimitedResolution")
    bw = src.props.get("googBandwidthLimitedResolution")
    base = cpu or bw
    if base is None:
        return
    out: list[str] = []
    for i in range(len(base)):
        c = cpu is not None and i < len(cpu) and str(cpu.values[i]).lower() in ("true", "1.0")
        b = bw is not None and i < len(bw) and str(bw.values[i]).lower() in ("true", "1.0")
        out.append("cpu" if c else "bandwidth" if b else "none")
    dst.props["qualityLimitationReason"] = Series(base.ts, out)
