"""Every threshold the rules use, in one place (see docs/diagnostics.md for sources)."""

from __future__ import annotations

# Sustained = at least NEED of OF consecutive samples (Twilio's 3-of-5 at 1 s sampling).
NEED, OF = 3, 5
RAMP_UP_MS = 10_000  # ignore the first seconds of sending while BWE ramps up

LOSS_WARN_PCT = 3.0  # Twilio warns at 1 %, avg > 3 %; VLprojects / VI tag: 5 %
LOSS_ERROR_PCT = 10.0
MIN_PACKETS_PS = 5.0  # intervals with fewer packets are too small to judge loss

JITTER_WARN_MS = 30.0  # Twilio high-jitter
JITTER_ERROR_MS = 100.0
VIDEO_JITTER_FACTOR = 1.5  # video RTP jitter is burstier (frames span many packets)

RTT_WARN_MS = 300.0  # G.114: 150 ms one-way preferred
RTT_ERROR_MS = 600.0  # G.114: > 400 ms one-way unacceptable (TURN/TCP adds more)

BW_LIMITED_SHARE = 0.20  # of sending time (rtcstats bandwidthQualityLimitationPercentage)
BW_LIMITED_ERROR_SHARE = 0.50
AOB_MIN_KBPS = 150.0  # VLprojects uses 100 kbps while sending video
BWE_COLLAPSE_RATIO = 0.3  # estimate fell below 30 % of its best so far ...
BWE_COLLAPSE_MAX_KBPS = 600.0  # ... and below what 360p video needs

BLACKOUT_MIN_S = 2.0  # no inbound packets at all for this long

CPU_LIMITED_SHARE = 0.10
CPU_LIMITED_ERROR_SHARE = 0.50

RES_DROP_RATIO = 0.5  # height below half of the best seen (or of the source)

FREEZE_WARN_PCT = 2.0  # freeze rate = frozen time / active time
FREEZE_ERROR_PCT = 10.0
FREEZE_WINDOW_PCT = 30.0  # VLprojects: frozen > 30 % of an interval

ENCODE_BUSY_SHARE = 0.6  # encode time per frame vs the capture frame interval
ENCODE_FPS_SHARE = 0.7  # encoded frame rate below this share of the capture rate
RECOVERY_MS = 5000  # after an outage, waiting for a key frame is expected

DECODE_DROP_PCT = 10.0
DECODE_SLOW_MS = 50.0

CONCEAL_WARN_PCT = 5.0  # VLprojects / jitsi concealedPercentage
CONCEAL_ERROR_PCT = 15.0

SILENT_ENERGY = 1e-8  # mean-square level ~ -80 dBFS (audioLevel 1e-4)
SILENT_MIN_SAMPLES = 10  # Twilio constant-audio-level uses 10 samples
MIC_SILENT_SHARE = 0.5  # of sending time: warning above, info below
INBOUND_SILENT_SHARE = 0.8

NO_MEDIA_MIN_SAMPLES = 5  # ~5 s without inbound packets while the connection is alive
ONE_WAY_MIN_SAMPLES = 10

AV_AHEAD_MS = 90.0  # ITU-R BT.1359 acceptability: audio ahead (detectable from 45 ms)
AV_BEHIND_MS = 185.0  # audio behind (detectable from 125 ms)
AV_JB_FALLBACK_MS = 150.0  # when only jitter-buffer delays are known
AV_STEADY_MS = 50.0  # an offset is steady when its std-dev is below this ...
AV_STEADY_SHARE = 0.2  # ... or below this share of its mean

MOS_WARN = 3.5  # Twilio Voice Insights low_mos tag
MOS_ERROR = 3.0  # Twilio SDK low-mos warning
VIDEO_SCORE_WARN = 3.0
VIDEO_SCORE_ERROR = 2.0
SCORE_INTERVAL_MS = 10_000
