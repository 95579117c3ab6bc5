"""Text of the demo dataset: real RTC support problems, in Chinese and English.

Each problem has a subject and description in both languages, the support layer it
belongs to, the platforms it shows up on, tags, and an engineer's answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One kind of support request, as customers write it and as engineers answer."""

    category: str
    platforms: tuple[str, ...]
    tags: tuple[str, ...]
    subject_zh: str
    body_zh: str
    subject_en: str
    body_en: str
    answer_zh: str
    answer_en: str
    note: str


PROBLEMS: tuple[Problem, ...] = (
    Problem(
        "troubleshooting",
        ("android", "ios"),
        ("stutter", "video"),
        "直播间观众端视频卡顿严重",
        "晚高峰时段大约 20% 的观众反馈画面卡顿，主播端上行看起来正常。SDK 版本 {sdk}，"
        "Android 和 iOS 都有。附件是一个观众的日志。",
        "Viewers see severe video stutter in live rooms",
        "During the evening peak about 20% of viewers report frozen video while the host's "
        "uplink looks fine. SDK {sdk}, both Android and iOS. A viewer's log is attached.",
        "从日志看，观众端下行丢包在 8%–15% 之间，卡顿发生时 jitter buffer 被清空。建议开启"
        "双流（大小流）并让弱网观众自动切到小流，同时把 FEC 打开。请更新后再观察一天。",
        "The log shows 8-15% downlink loss on the viewer side and the jitter buffer flushing "
        "when the freezes happen. Please enable dual-stream (simulcast) so weak-network viewers "
        "fall back to the low stream automatically, and turn on FEC. Let's watch it for a day.",
        "Loss is downlink only; host uplink clean. Probably regional ISP congestion (Guangdong).",
    ),
    Problem(
        "troubleshooting",
        ("web",),
        ("echo", "audio"),
        "Web 端通话有明显回声",
        "用户在 Chrome 上外放时，对端能听到自己的回声。我们在 getUserMedia 里传了自定义约束。",
        "Strong echo in web calls",
        "When a Chrome user plays audio through speakers, the other side hears their own voice "
        "back. We pass custom getUserMedia constraints.",
        "你们的约束里 echoCancellation 被设成了 false（为了音乐模式）。通话场景请保持 "
        "echoCancellation、noiseSuppression、autoGainControl 为 true，只在音乐模式下关闭。",
        "Your constraints set echoCancellation to false (meant for the music mode). For calls "
        "keep echoCancellation, noiseSuppression and autoGainControl true and only turn them "
        "off in music mode.",
        "Classic AEC-off case. Suggest KB article on music vs speech profiles.",
    ),
    Problem(
        "integration",
        ("ios",),
        ("permission", "ios"),
        "iOS 加入频道后没有声音，也没有报错",
        "joinChannel 回调成功，但本地采集没有声音，对端听不到。Info.plist 已经加了麦克风权限。",
        "No audio after joining a channel on iOS, no error",
        "joinChannel succeeds, but nothing is captured locally and the remote side hears nothing. "
        "The microphone permission is in Info.plist.",
        "日志显示 AVAudioSession 的 category 被你们的播放器改成了 playback，采集被系统静音。"
        "请在加入频道前不要修改 audio session，或在播放器初始化后重新设置为 playAndRecord。",
        "The log shows your media player switching the AVAudioSession category to playback, "
        "which silences capture. Don't change the audio session before joining, or set it back "
        "to playAndRecord after the player initialises.",
        "Third time this month with this player SDK; worth an FAQ entry.",
    ),
    Problem(
        "troubleshooting",
        ("android", "ios", "web"),
        ("av-sync", "video", "audio"),
        "音画不同步，声音比画面快大约半秒",
        "连麦场景下观众反馈音画不同步，声音比画面快。只有部分机型出现。",
        "Audio and video out of sync, audio half a second ahead",
        "In co-hosting, viewers report audio about half a second ahead of video, only on some "
        "device models.",
        "问题机型上视频解码使用了软件解码，解码耗时高导致视频渲染延迟。请在这些机型上启用硬件解码，"
        "并确认没有对视频流单独设置 playout delay。",
        "On the affected models video is decoded in software and decoding is slow, which delays "
        "rendering. Enable hardware decoding on those models and make sure no playout delay is "
        "set on the video stream only.",
        "Decoder = libvpx on Helio P35 devices. Ask for device list.",
    ),
    Problem(
        "troubleshooting",
        ("web", "windows"),
        ("ice", "turn", "firewall"),
        "企业网络下无法建立连接",
        "客户在公司内网使用时一直卡在连接中，家庭网络正常。怀疑防火墙。",
        "Cannot connect from a corporate network",
        "Our customer's users stay in 'connecting' inside their office network; home networks "
        "work. We suspect the firewall.",
        "ICE 只收集到了 host 和 srflx 候选，没有 relay 候选，说明 TURN 不可达。请在防火墙放行 "
        "443/TCP 到我们的 TURN 服务，或启用 TURN over TLS 443 的配置。",
        "ICE gathered host and srflx candidates but no relay candidate, so TURN is unreachable. "
        "Allow 443/TCP to our TURN servers in the firewall, or enable TURN over TLS on port 443.",
        "UDP blocked, TCP 443 open. Send them the firewall whitelist doc.",
    ),
    Problem(
        "advanced_tuning",
        ("android", "ios"),
        ("weak-network", "bitrate"),
        "弱网环境下如何保证通话流畅？",
        "我们的用户很多在地铁、电梯里使用 1v1 视频通话。有哪些参数可以调整让通话更流畅？",
        "How do we keep calls smooth on weak networks?",
        "Many of our users make 1:1 video calls on the subway and in lifts. Which settings can "
        "we tune to keep calls smooth?",
        "1v1 场景推荐：分辨率档位 640x360@15fps 起步，开启带宽自适应和降分辨率优先（保流畅），"
        "音频开启 RED/FEC，视频开启 NACK+FEC。弱网时优先保音频。具体配置见附件。",
        "For 1:1 calls: start at 640x360@15fps, enable bandwidth adaptation with "
        "maintain-framerate degradation, turn on RED/FEC for audio and NACK+FEC for video, and "
        "protect audio first on weak networks. The configuration is attached.",
        "Good candidate for the scenario tuning guide.",
    ),
    Problem(
        "advanced_tuning",
        ("android", "ios"),
        ("beauty", "cpu"),
        "开启美颜后手机发热，帧率下降",
        "开启美颜和背景虚化后，中端机型 10 分钟后开始发烫，帧率从 30 掉到 12。",
        "Phones overheat and frame rate drops with beauty filters on",
        "With beauty and background blur on, mid-range phones get hot after 10 minutes and the "
        "frame rate drops from 30 to 12.",
        "发送端 qualityLimitationReason 为 cpu。建议在中端机上把美颜等级降到 2、背景虚化用低精度"
        "模型，并把采集分辨率降到 540p。",
        "The sender's qualityLimitationReason is cpu. On mid-range devices lower the beauty "
        "level to 2, use the low-precision blur model and capture at 540p.",
        "Thermal throttling confirmed in the attached perf trace.",
    ),
    Problem(
        "troubleshooting",
        ("windows", "macos", "electron"),
        ("screen-share", "video"),
        "屏幕共享画面模糊",
        "Electron 客户端屏幕共享文字看不清，分辨率很低。",
        "Screen share is blurry",
        "In our Electron client shared screens are blurry and text is unreadable.",
        "屏幕共享请使用 detail/text 内容提示，并把编码参数设置为 1080p@5fps、码率 1.5 Mbps，"
        "保清晰度优先。",
        "Use the detail/text content hint for screen sharing and encode at 1080p@5fps with "
        "1.5 Mbps, preferring resolution over frame rate.",
        "They used the camera profile for screen share.",
    ),
    Problem(
        "integration",
        ("android",),
        ("token", "auth"),
        "token 过期导致用户被踢出频道",
        "用户通话一小时左右被踢出，错误码 109。",
        "Users kicked out of the channel when the token expires",
        "Users are dropped after about an hour with error code 109.",
        "109 表示 token 过期。请监听 onTokenPrivilegeWillExpire 回调，在过期前 30 秒从你们的"
        "服务端获取新 token 并调用 renewToken。",
        "109 means the token expired. Listen for onTokenPrivilegeWillExpire and call renewToken "
        "with a fresh token from your server 30 seconds before expiry.",
        "Standard token renewal question.",
    ),
    Problem(
        "integration",
        ("web",),
        ("api-order", "web"),
        "Web SDK 调用 publish 报错 INVALID_OPERATION",
        "在 join 之前调用了 publish 会报错，但我们需要先预览。",
        "Web SDK publish fails with INVALID_OPERATION",
        "Calling publish before join fails, but we want to show a preview first.",
        "预览只需要创建本地轨道并播放，不需要 publish。请在 join 成功后再 publish 本地轨道。",
        "A preview only needs the local track created and played; publish after join succeeds.",
        "API order mistake; link to the quick start.",
    ),
    Problem(
        "troubleshooting",
        ("android", "ios", "web"),
        ("latency", "network"),
        "跨国通话延迟很高",
        "中国和美国用户之间的通话延迟在 600ms 以上，对话经常抢话。",
        "High latency on cross-border calls",
        "Calls between users in China and the US have over 600 ms delay and people talk over "
        "each other.",
        "RTT 约 420ms，主要来自跨境公网链路。请开启全球加速（跨区域边缘节点），预计可以降到 "
        "250ms 左右。",
        "RTT is about 420 ms, mostly the public cross-border path. Enable global acceleration "
        "(cross-region edge routing); we expect around 250 ms.",
        "Check region config: they pinned everything to cn-east.",
    ),
    Problem(
        "troubleshooting",
        ("android",),
        ("black-screen", "video"),
        "部分安卓机型远端黑屏",
        "华为部分机型看对方是黑屏，但能听到声音。",
        "Black remote video on some Android devices",
        "On some Huawei models the remote video is black, although audio works.",
        "这些机型的硬件 H.264 解码器不支持对端的 High profile。请在这些机型上切换为软件解码，"
        "或者让发送端使用 Constrained Baseline。",
        "The hardware H.264 decoder on those models doesn't handle the sender's High profile. "
        "Use software decoding there, or have the sender use Constrained Baseline.",
        "Known decoder issue; device list in the compatibility sheet.",
    ),
    Problem(
        "troubleshooting",
        ("android", "ios", "flutter"),
        ("noise", "audio"),
        "语聊房背景噪声很大",
        "语聊房里很多用户抱怨有风扇声、键盘声。",
        "Loud background noise in voice chat rooms",
        "Many users in voice rooms complain about fan and keyboard noise.",
        "请启用 AI 降噪（ANS 等级 aggressive），并关闭你们自己在采集后加的增益处理。",
        "Enable AI noise suppression (ANS aggressive) and remove the gain stage you apply after "
        "capture.",
        "Their own post-capture gain amplifies the noise floor.",
    ),
    Problem(
        "consulting",
        ("windows", "linux"),
        ("hardware", "consulting"),
        "定制硬件终端接入方案咨询",
        "我们在做一款会议室硬件终端（ARM Linux），需要接入你们的 RTC，"
        "是否有嵌入式 SDK 和参考设计？",
        "Consulting: integrating custom conference-room hardware",
        "We're building a conference-room device (ARM Linux) and want to use your RTC. Is there "
        "an embedded SDK and a reference design?",
        "可以使用 Linux 服务端 SDK 的 ARM64 版本。建议先开一个技术评估会议，确认编解码硬件加速和"
        "音频前处理方案，我们会提供集成计划和里程碑。",
        "Use the ARM64 build of the Linux server SDK. Let's start with a technical assessment "
        "call on hardware codecs and audio front-end processing; we'll propose an integration "
        "plan with milestones.",
        "Strategic account; loop in the TAM.",
    ),
    Problem(
        "consulting",
        ("server",),
        ("recording", "consulting"),
        "云录制方案和合规存储咨询",
        "我们需要把课堂录制存储在自己的对象存储中，并满足数据不出境的要求。",
        "Consulting: cloud recording with compliant storage",
        "We need class recordings stored in our own object storage and kept in-country.",
        "云录制支持直接写入你们的对象存储，区域可选。建议使用合流录制 + 单流备份，我们会提供"
        "一份部署方案文档。",
        "Cloud recording can write straight to your object storage in the region you choose. "
        "We suggest composite recording plus individual-stream backup; we'll share a "
        "deployment plan.",
        "Data residency requirement: cn-only buckets.",
    ),
    Problem(
        "troubleshooting",
        ("web",),
        ("audio", "one-way"),
        "Safari 用户单向无声",
        "Safari 用户能听到别人，别人听不到 Safari 用户。",
        "One-way audio from Safari users",
        "Safari users hear others, but nobody hears the Safari users.",
        "Safari 需要在用户手势中调用 getUserMedia 和 AudioContext.resume()。你们在页面加载时就"
        "创建了轨道，导致音频轨处于 muted 状态。",
        "Safari needs getUserMedia and AudioContext.resume() inside a user gesture. You create "
        "the track on page load, so the audio track starts muted.",
        "Autoplay policy; reproduce with Safari 17.",
    ),
    Problem(
        "advanced_tuning",
        ("web", "windows", "macos"),
        ("simulcast", "bitrate"),
        "大班课 200 人时如何设置分辨率和码率？",
        "大班课老师 1 路视频 + 屏幕共享，学生 200 人观看，怎么设置码率档位最合适？",
        "Resolution and bitrate for a 200-student class?",
        "One teacher camera plus screen share, 200 students watching. Which bitrate ladder "
        "works best?",
        "建议老师摄像头使用三层 simulcast（720p/360p/180p），屏幕共享 1080p@5fps；学生端根据"
        "网络自动订阅合适的层。",
        "Use three-layer simulcast for the teacher camera (720p/360p/180p) and 1080p@5fps for "
        "screen share; students subscribe to the right layer for their network.",
        "Education scenario template.",
    ),
    Problem(
        "troubleshooting",
        ("android", "ios"),
        ("crash", "sdk"),
        "升级 SDK 后偶现崩溃",
        "升级到 {sdk} 后线上偶现崩溃，堆栈在音频模块。",
        "Occasional crash after upgrading the SDK",
        "After upgrading to {sdk} we see occasional crashes in production, stack in the audio "
        "module.",
        "这是 {sdk} 中已知的问题，发生在蓝牙耳机切换时。修复版本已经发布，请升级到最新补丁版本。",
        "This is a known issue in {sdk} when switching Bluetooth headsets. The fix is in the "
        "latest patch release; please upgrade.",
        "Bug tracked in SDK-4412.",
    ),
    Problem(
        "troubleshooting",
        ("unity",),
        ("audio", "unity"),
        "Unity 游戏内语音断断续续",
        "游戏开黑语音在团战时断断续续。",
        "Choppy in-game voice in Unity",
        "Team voice becomes choppy during big fights in the game.",
        "团战时主线程 CPU 占满，音频采集线程被饿死。请把 SDK 音频回调切换到独立线程，并降低音频"
        "编码复杂度。",
        "During fights the main thread saturates the CPU and starves audio capture. Move the "
        "SDK's audio callbacks to their own thread and lower the audio encoder complexity.",
        "CPU-bound; profile shows 98% main thread.",
    ),
    Problem(
        "integration",
        ("flutter",),
        ("flutter", "permission"),
        "Flutter 插件在 Android 14 上摄像头打不开",
        "Android 14 上首次打开摄像头失败，第二次正常。",
        "Flutter plugin cannot open the camera on Android 14",
        "On Android 14 the camera fails the first time and works the second time.",
        "Android 14 需要在前台服务中声明 camera 类型。请升级插件到最新版本并在 manifest 中添加 "
        "FOREGROUND_SERVICE_CAMERA 权限。",
        "Android 14 needs the camera type declared for foreground services. Upgrade the plugin "
        "and add the FOREGROUND_SERVICE_CAMERA permission to the manifest.",
        "Android 14 FGS type change.",
    ),
)

REPLIES_ZH = (
    "好的，我们已经按建议修改，正在灰度验证。",
    "修改后问题还在，补充了一份新的日志。",
    "谢谢，问题解决了！",
    "请问这个配置对低端机有影响吗？",
)
REPLIES_EN = (
    "Thanks, we've made the change and are rolling it out to a test group.",
    "The problem is still there after the change; a new log is attached.",
    "Thanks, that fixed it!",
    "Does this setting affect low-end devices?",
)
FOLLOWUP_ZH = "收到。新日志中丢包已经下降，请再观察 24 小时，如果没有问题我们会把工单标记为已解决。"
FOLLOWUP_EN = (
    "Got it. Loss is down in the new log; please watch it for another 24 hours and we'll mark "
    "the ticket solved if it stays quiet."
)
