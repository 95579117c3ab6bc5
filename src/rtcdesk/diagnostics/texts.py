"""Bilingual (en / zh-CN) titles, causes and fixes of every finding code."""

# ruff: noqa: E501  (prose in two languages reads better unwrapped)

from __future__ import annotations

from typing import Any

from rtcdesk.diagnostics.report import Evidence, Finding, Window

T = dict[str, Any]

# code -> category, kb tags, title, cause, fixes. A "code:variant" key overrides parts.
TEXTS: dict[str, T] = {
    "network.uplink_loss": {
        "category": "network",
        "kb": ["packet-loss", "uplink", "network"],
        "title": {"en": "Packet loss on the sending side (uplink)", "zh-CN": "上行（发送端）丢包"},
        "cause": {
            "en": "The far end reports that {value} of the packets this client sent were lost on the way (threshold {threshold}). The loss is on this client's uplink: its Wi-Fi, mobile data or access network.",
            "zh-CN": "对端反馈本端发出的包有 {value} 丢失（阈值 {threshold}）。丢包发生在本端的上行链路：Wi-Fi、移动网络或接入网。",
        },
        "fixes": {
            "en": [
                "Move closer to the Wi-Fi router or use a wired connection.",
                "Stop uploads and other traffic on the same network.",
                "Enable or raise FEC / RED for audio and lower the video bitrate.",
            ],
            "zh-CN": [
                "靠近路由器或改用有线网络。",
                "停止同一网络上的上传等其他流量。",
                "为音频开启或提高 FEC/RED，并降低视频码率。",
            ],
        },
    },
    "network.downlink_loss": {
        "category": "network",
        "kb": ["packet-loss", "downlink", "network"],
        "title": {
            "en": "Packet loss on the receiving side (downlink)",
            "zh-CN": "下行（接收端）丢包",
        },
        "cause": {
            "en": "{value} of the incoming packets were lost (threshold {threshold}). Either this client's downlink is lossy, or, in an SFU call, the sender's uplink is (check the sender's report).",
            "zh-CN": "接收的数据包有 {value} 丢失（阈值 {threshold}）。可能是本端下行网络丢包；在 SFU 通话中也可能来自发送方的上行（请查看发送方报告）。",
        },
        "fixes": {
            "en": [
                "Use a wired connection or a better Wi-Fi channel.",
                "Check the sender's uplink if other receivers see the same loss.",
                "Let the receiver subscribe to a lower simulcast layer.",
            ],
            "zh-CN": [
                "使用有线网络或更好的 Wi-Fi 信道。",
                "若其他接收方也丢包，请检查发送方上行。",
                "让接收方订阅较低的 simulcast 层。",
            ],
        },
    },
    "network.jitter": {
        "category": "network",
        "kb": ["jitter", "network"],
        "title": {"en": "High network jitter", "zh-CN": "网络抖动过大"},
        "cause": {
            "en": "Packet arrival times varied by {value} on average (threshold {threshold}). The jitter buffer must grow, adding delay, or audio gets concealed.",
            "zh-CN": "数据包到达时间平均抖动 {value}（阈值 {threshold}）。抖动缓冲需要加大，带来延迟，或出现音频补偿（卡顿）。",
        },
        "fixes": {
            "en": [
                "Avoid congested Wi-Fi; prefer 5 GHz or cable.",
                "Check for bufferbloat (large uploads on the same link).",
                "Use QoS/DSCP marking for RTP on managed networks.",
            ],
            "zh-CN": [
                "避开拥塞的 Wi-Fi，优先 5 GHz 或有线。",
                "排查缓冲膨胀（同一链路上的大流量上传）。",
                "在受管网络上为 RTP 配置 QoS/DSCP。",
            ],
        },
    },
    "network.high_rtt": {
        "category": "network",
        "kb": ["latency", "rtt", "network"],
        "title": {"en": "High round-trip time (delay)", "zh-CN": "往返时延过高"},
        "cause": {
            "en": "The round-trip time was {value} (threshold {threshold}); people will talk over each other. Usual causes: a distant or overloaded media server, relay over TCP/TLS, or a congested link.",
            "zh-CN": "往返时延为 {value}（阈值 {threshold}），通话双方容易抢话。常见原因：媒体服务器过远或过载、通过 TCP/TLS 中继、链路拥塞。",
        },
        "fixes": {
            "en": [
                "Connect to a media server / TURN region closer to the user.",
                "Prefer UDP over TCP/TLS relay.",
                "Reduce competing traffic on the link.",
            ],
            "zh-CN": [
                "连接离用户更近的媒体服务器/TURN 区域。",
                "优先 UDP，避免 TCP/TLS 中继。",
                "减少链路上的竞争流量。",
            ],
        },
    },
    "network.bandwidth_limited": {
        "category": "network",
        "kb": ["bandwidth", "bwe", "network"],
        "title": {"en": "Not enough bandwidth for the video", "zh-CN": "带宽不足以支撑视频"},
        "cause": {
            "en": "The encoder was limited by bandwidth {value} of the time, or the estimated available bitrate fell below {threshold}. Resolution and frame rate were reduced to fit.",
            "zh-CN": "编码器有 {value} 的时间受带宽限制，或估计可用码率低于 {threshold}，分辨率和帧率因此被降低。",
        },
        "fixes": {
            "en": [
                "Check the user's upload speed; close other uploads.",
                "Lower the maximum bitrate or resolution, or use simulcast/SVC.",
                "Prefer a wired or 5 GHz connection.",
            ],
            "zh-CN": [
                "检查用户上行带宽，关闭其他上传。",
                "降低最大码率或分辨率，或使用 simulcast/SVC。",
                "优先使用有线或 5 GHz 网络。",
            ],
        },
    },
    "network.blackout": {
        "category": "network",
        "kb": ["disconnect", "ice-restart", "network"],
        "title": {"en": "Connection blackout", "zh-CN": "连接中断"},
        "cause": {
            "en": "No media flowed for {value} (threshold {threshold}), together with ICE/connection 'disconnected' states. The network path dropped (Wi-Fi roaming, mobile handover, VPN change) and then {recovered}.",
            "zh-CN": "媒体中断 {value}（阈值 {threshold}），同时 ICE/连接状态变为 disconnected。网络路径中断（Wi-Fi 漫游、移动网络切换、VPN 变化），之后{recovered_zh}。",
        },
        "fixes": {
            "en": [
                "Handle 'disconnected'/'failed' with an ICE restart.",
                "Keep the device on one stable network during calls.",
                "Offer a TURN over TCP/TLS fallback.",
            ],
            "zh-CN": [
                "在 disconnected/failed 时执行 ICE restart。",
                "通话期间保持设备在同一稳定网络。",
                "提供 TURN over TCP/TLS 作为备选。",
            ],
        },
    },
    "ice.failure": {
        "category": "ice",
        "kb": ["ice", "turn", "firewall"],
        "title": {
            "en": "The connection could not be established (ICE failed)",
            "zh-CN": "连接建立失败（ICE 失败）",
        },
        "cause": {
            "en": "ICE failed. Most likely reason: {reason}",
            "zh-CN": "ICE 失败。最可能的原因：{reason}",
        },
        "fixes": {
            "en": [
                "Configure a TURN server with UDP, TCP and TLS (port 443) transports.",
                "Check TURN credentials and their expiry.",
                "Ask the network admin to allow outbound UDP or TCP/TLS 443 to the TURN server.",
            ],
            "zh-CN": [
                "配置支持 UDP、TCP 和 TLS（443 端口）的 TURN 服务器。",
                "检查 TURN 凭据及其有效期。",
                "请网络管理员放行到 TURN 服务器的 UDP 或 TCP/TLS 443 出站流量。",
            ],
        },
    },
    "ice.relay_in_use": {
        "category": "ice",
        "kb": ["turn", "relay"],
        "title": {"en": "Media is relayed through TURN", "zh-CN": "媒体经由 TURN 中继"},
        "cause": {
            "en": "The selected candidate pair uses a relay candidate over {protocol}. This works but costs TURN bandwidth{tcp_note}.",
            "zh-CN": "选中的候选对使用 {protocol} 中继候选。可以工作，但会占用 TURN 带宽{tcp_note_zh}。",
        },
        "fixes": {
            "en": [
                "Expected behind symmetric NATs or strict firewalls.",
                "If direct connectivity should work, check that host/srflx candidates are gathered.",
                "Prefer TURN over UDP where the network allows it.",
            ],
            "zh-CN": [
                "在对称 NAT 或严格防火墙后属正常现象。",
                "若本应能直连，请检查是否收集到 host/srflx 候选。",
                "网络允许时优先使用 UDP 的 TURN。",
            ],
        },
    },
    "cpu.sender_limited": {
        "category": "cpu",
        "kb": ["cpu", "encoder"],
        "title": {"en": "The sender's CPU limited the video", "zh-CN": "发送端 CPU 限制了视频质量"},
        "cause": {
            "en": "The video encoder reported qualityLimitationReason 'cpu' {value} of the time (threshold {threshold}); resolution or frame rate was reduced because the device was too busy.",
            "zh-CN": "视频编码器有 {value} 的时间报告 qualityLimitationReason 为 'cpu'（阈值 {threshold}）：设备过于繁忙，分辨率或帧率被降低。",
        },
        "fixes": {
            "en": [
                "Close other heavy applications and browser tabs.",
                "Use hardware encoding or a cheaper codec (VP8/H.264 instead of VP9/AV1).",
                "Lower the capture resolution or frame rate; fewer simulcast layers.",
            ],
            "zh-CN": [
                "关闭其他占用资源的应用和浏览器标签页。",
                "使用硬件编码或更轻的编解码器（VP8/H.264 替代 VP9/AV1）。",
                "降低采集分辨率或帧率，减少 simulcast 层数。",
            ],
        },
    },
    "video.decoder_problem": {
        "category": "video",
        "kb": ["decoder", "video"],
        "title": {"en": "Video decoding problem", "zh-CN": "视频解码异常"},
        "cause": {"en": "{detail}", "zh-CN": "{detail_zh}"},
        "fixes": {
            "en": [
                "Check that both sides negotiate a codec the receiver can decode (hardware decoders vary).",
                "Update the browser / GPU drivers; try disabling hardware decoding.",
                "Reduce the resolution or frame rate sent to weak devices.",
            ],
            "zh-CN": [
                "确认双方协商的编解码器接收端可以解码（硬件解码器支持情况不同）。",
                "更新浏览器/显卡驱动，尝试关闭硬件解码。",
                "向性能较弱的设备发送较低分辨率或帧率。",
            ],
        },
    },
    "video.resolution_degraded": {
        "category": "video",
        "kb": ["resolution", "video"],
        "title": {"en": "Video resolution dropped", "zh-CN": "视频分辨率下降"},
        "cause": {
            "en": "The {direction} video resolution fell to {value} of its best (threshold {threshold}). Reason: {reason}.",
            "zh-CN": "{direction_zh}视频分辨率降到最佳值的 {value}（阈值 {threshold}）。原因：{reason_zh}。",
        },
        "fixes": {
            "en": [
                "Address the limiting factor (bandwidth or CPU, see other findings).",
                "Set degradationPreference to keep resolution for screen content.",
                "Check that the camera delivers the requested resolution.",
            ],
            "zh-CN": [
                "解决限制因素（带宽或 CPU，见其他发现）。",
                "屏幕共享等内容可将 degradationPreference 设为保持分辨率。",
                "确认摄像头能输出所请求的分辨率。",
            ],
        },
    },
    "video.freeze": {
        "category": "video",
        "kb": ["freeze", "stutter", "video"],
        "title": {"en": "Video freezes (stutter)", "zh-CN": "视频卡顿"},
        "cause": {
            "en": "The received video was frozen {value} of the time it was active (freeze rate; threshold {threshold}), {count} freezes by the W3C definition. Usually caused by packet loss with slow recovery, or the sender stalling.",
            "zh-CN": "接收视频在活跃期间有 {value} 的时间处于冻结状态（卡顿率；阈值 {threshold}），按 W3C 定义共 {count} 次卡顿。通常由丢包且恢复较慢或发送端停顿引起。",
        },
        "fixes": {
            "en": [
                "Fix the packet loss first (see network findings).",
                "Make sure NACK/RTX and PLI are negotiated.",
                "Lower the bitrate so that bursts fit the link.",
            ],
            "zh-CN": [
                "先解决丢包问题（见网络相关发现）。",
                "确认已协商 NACK/RTX 和 PLI。",
                "降低码率，使突发流量适配链路。",
            ],
        },
    },
    "audio.stutter": {
        "category": "audio",
        "kb": ["audio-stutter", "concealment", "audio"],
        "title": {"en": "Choppy or robotic audio", "zh-CN": "音频断续或失真"},
        "cause": {
            "en": "{value} of the received audio had to be synthesised by packet-loss concealment (threshold {threshold}). Listeners hear gaps or robotic sound, caused by loss or jitter on the path.",
            "zh-CN": "接收的音频中有 {value} 由丢包补偿合成（阈值 {threshold}），听起来断续或有机械音，原因是路径上的丢包或抖动。",
        },
        "fixes": {
            "en": [
                "Fix loss and jitter (see network findings).",
                "Enable Opus in-band FEC (useinbandfec=1) or RED.",
                "Prefer a wired connection for the speaker.",
            ],
            "zh-CN": [
                "解决丢包和抖动（见网络相关发现）。",
                "开启 Opus 带内 FEC（useinbandfec=1）或 RED。",
                "发言方优先使用有线网络。",
            ],
        },
    },
    "audio.mic_silent": {
        "category": "audio",
        "kb": ["microphone", "mute", "audio"],
        "title": {"en": "Microphone sends silence", "zh-CN": "麦克风采集为静音"},
        "cause": {
            "en": "Audio packets were sent but the captured audio level stayed at {value} (threshold {threshold}) for {duration}: the microphone is muted in the OS or hardware, the wrong device is selected, or the track is disabled.",
            "zh-CN": "音频包在发送，但采集音量在 {duration} 内一直为 {value}（阈值 {threshold}）：麦克风可能在系统或硬件上被静音、选错了设备，或音轨被禁用。",
        },
        "fixes": {
            "en": [
                "Check the OS microphone permission, mute switch and input device.",
                "Show an input level meter in the app and warn on silence.",
                "Check that track.enabled is true.",
            ],
            "zh-CN": [
                "检查系统麦克风权限、静音开关和输入设备。",
                "在应用中显示输入音量并在静音时提示。",
                "确认 track.enabled 为 true。",
            ],
        },
    },
    "audio.no_inbound_audio": {
        "category": "audio",
        "kb": ["no-audio", "audio"],
        "title": {"en": "No audio from the other side", "zh-CN": "听不到对方声音"},
        "cause": {"en": "{detail}", "zh-CN": "{detail_zh}"},
        "fixes": {
            "en": [
                "Check that the remote side is unmuted and sending.",
                "Check firewall rules and that the SFU forwards the audio.",
                "Verify the audio element is attached and not muted (autoplay policy).",
            ],
            "zh-CN": [
                "确认对方未静音并在发送音频。",
                "检查防火墙规则以及 SFU 是否转发音频。",
                "确认音频元素已挂载且未被静音（自动播放策略）。",
            ],
        },
    },
    "video.camera_stopped": {
        "category": "video",
        "kb": ["camera", "video"],
        "title": {"en": "The camera stopped sending frames", "zh-CN": "摄像头停止输出画面"},
        "cause": {
            "en": "The local video track produced no frames for {value} (threshold {threshold}) while the call continued: the camera was taken by another app, unplugged, or the track was stopped or disabled.",
            "zh-CN": "通话期间本地视频轨道有 {value} 没有输出帧（阈值 {threshold}）：摄像头可能被其他应用占用、被拔出，或轨道被停止/禁用。",
        },
        "fixes": {
            "en": [
                "Close other apps using the camera.",
                "Listen for track 'ended'/'mute' events and re-acquire the camera.",
                "Check camera drivers and privacy settings.",
            ],
            "zh-CN": [
                "关闭其他占用摄像头的应用。",
                "监听轨道 ended/mute 事件并重新获取摄像头。",
                "检查摄像头驱动和隐私设置。",
            ],
        },
    },
    "video.no_inbound_video": {
        "category": "video",
        "kb": ["black-screen", "video"],
        "title": {
            "en": "No video from the other side (black screen)",
            "zh-CN": "收不到对方视频（黑屏）",
        },
        "cause": {"en": "{detail}", "zh-CN": "{detail_zh}"},
        "fixes": {
            "en": [
                "Check that the remote camera is on and sending.",
                "Check that the SFU forwards the video layer.",
                "Verify the video element is attached and playing.",
            ],
            "zh-CN": [
                "确认对方摄像头已打开并在发送。",
                "确认 SFU 转发了视频层。",
                "确认视频元素已挂载并在播放。",
            ],
        },
    },
    "media.one_way": {
        "category": "media",
        "kb": ["one-way", "firewall", "media"],
        "title": {"en": "One-way media", "zh-CN": "单向媒体"},
        "cause": {
            "en": "Media flowed {direction} only for {value}: this client {what}. Typical causes: a firewall or NAT that lets traffic through in one direction, a wrong SDP direction, or the other side not sending.",
            "zh-CN": "媒体在 {value} 内只有单向流动：本端{what_zh}。常见原因：防火墙/NAT 只放行单向流量、SDP 方向错误，或对方未发送。",
        },
        "fixes": {
            "en": [
                "Check SDP directions (sendrecv) on both sides.",
                "Use TURN to get around one-way firewalls.",
                "Check that the remote side actually sends media.",
            ],
            "zh-CN": [
                "检查双方 SDP 方向（sendrecv）。",
                "使用 TURN 绕过单向防火墙。",
                "确认对方确实在发送媒体。",
            ],
        },
    },
    "sync.av_desync": {
        "category": "sync",
        "kb": ["av-sync", "lip-sync"],
        "title": {"en": "Audio and video out of sync", "zh-CN": "音视频不同步"},
        "cause": {
            "en": "Audio was {value} {ahead} of video (threshold {threshold}, from ITU-R BT.1359 detectability), measured from {method}.",
            "zh-CN": "音频{ahead_zh}视频 {value}（阈值 {threshold}，依据 ITU-R BT.1359 可感知范围），依据 {method}。",
        },
        "fixes": {
            "en": [
                "Send audio and video in the same MediaStream so the receiver syncs them.",
                "Check that RTCP sender reports flow for both streams.",
                "Avoid separate peer connections for audio and video of one participant.",
            ],
            "zh-CN": [
                "将音频和视频放在同一 MediaStream 中发送，以便接收端同步。",
                "确认两路流都有 RTCP SR。",
                "避免同一参与者的音视频使用不同的 PeerConnection。",
            ],
        },
    },
    "config.echo_control_disabled": {
        "category": "config",
        "kb": ["echo", "getusermedia", "audio"],
        "title": {"en": "Echo cancellation is turned off", "zh-CN": "回声消除被关闭"},
        "cause": {
            "en": "getUserMedia was called with {settings}. Without echo cancellation, speakers on the other side hear themselves.",
            "zh-CN": "调用 getUserMedia 时设置了 {settings}。关闭回声消除后，对方会听到自己的回声。",
        },
        "fixes": {
            "en": [
                "Keep echoCancellation: true (the default) unless you process audio yourself.",
                "If you disabled it for music, offer a separate music mode and ask users to wear headphones.",
            ],
            "zh-CN": [
                "保持 echoCancellation: true（默认），除非自行处理音频。",
                "若为音乐场景关闭，请提供独立音乐模式并建议佩戴耳机。",
            ],
        },
    },
    "quality.low_score": {
        "category": "quality",
        "kb": ["quality", "mos"],
        "title": {"en": "Low overall call quality", "zh-CN": "通话整体质量较低"},
        "cause": {
            "en": "The {which} score was {value} (threshold {threshold}). See the other findings for the reasons.",
            "zh-CN": "{which_zh}评分为 {value}（阈值 {threshold}）。原因见其他发现。",
        },
        "fixes": {
            "en": ["Address the most severe findings above first."],
            "zh-CN": ["优先解决上面最严重的问题。"],
        },
    },
}


class _Safe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def make_finding(
    code: str,
    severity: str,
    *,
    params: dict[str, Any] | None = None,
    windows: list[Window] | None = None,
    evidence: list[Evidence] | None = None,
    pc_id: str | None = None,
    stream_id: str | None = None,
    variant: str | None = None,
) -> Finding:
    """Build a Finding with its bilingual texts filled from ``params``."""
    t = TEXTS[code]
    p = _Safe(params or {})
    return Finding(
        code=code,
        category=t["category"],
        severity=severity,
        title={k: v.format_map(p) for k, v in t["title"].items()},
        cause={k: v.format_map(p) for k, v in t["cause"].items()},
        fixes={k: list(v) for k, v in t["fixes"].items()},
        windows=windows or [],
        evidence=evidence or [],
        pc_id=pc_id,
        stream_id=stream_id,
        variant=variant,
        kb_tags=list(t["kb"]) + ([variant] if variant else []),
    )
