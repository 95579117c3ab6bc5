"""Bilingual (en / zh-CN) texts of the network and ICE finding codes."""

# ruff: noqa: E501  (prose in two languages reads better unwrapped)

from __future__ import annotations

from typing import Any

NETWORK_TEXTS: dict[str, dict[str, Any]] = {
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
            "en": "No media flowed for {value} (threshold {threshold}){states}. The network path dropped (Wi-Fi roaming, mobile handover, VPN change) and then {recovered}.",
            "zh-CN": "媒体中断 {value}（阈值 {threshold}）{states_zh}。网络路径中断（Wi-Fi 漫游、移动网络切换、VPN 变化），之后{recovered_zh}。",
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
}
