"""Bilingual (en / zh-CN) texts of the CPU, video, audio, media, sync, config and quality finding codes."""

# ruff: noqa: E501  (prose in two languages reads better unwrapped)

from __future__ import annotations

from typing import Any

MEDIA_TEXTS: dict[str, dict[str, Any]] = {
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
            "en": "The received video was frozen {value} of the time it was active (freeze rate; threshold {threshold}); freezes by the W3C definition: {count}. Usually caused by packet loss with slow recovery, or the sender stalling.",
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
            "en": "Audio packets were sent but the captured audio stayed silent (no sound above about −80 dBFS) for {duration}: the microphone is muted in the OS or hardware, the wrong device is selected, or the track is disabled.",
            "zh-CN": "音频包在发送，但采集到的音频在 {duration} 内一直无声（没有高于约 −80 dBFS 的声音）：麦克风可能在系统或硬件上被静音、选错了设备，或音轨被禁用。",
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
