"""Drive a two-page WebRTC call in headless Chromium with all media through the relay."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, Route, async_playwright
from playwright.async_api import Error as PlaywrightError

from rtcdesk.core.errors import RtcdeskError
from rtcdesk.lab.cpulimit import CpuLimit
from rtcdesk.lab.getstats_dump import FALLBACK_PC_KEY, dump_from_history
from rtcdesk.lab.relay import LOOPBACK, UdpRelay
from rtcdesk.lab.scenario import Phase, Scenario
from rtcdesk.lab.schedule import DirectionPipeline
from rtcdesk.lab.video import write_camera_clip

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-background-networking",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
)
# The pages are served from memory by request interception; nothing listens here.
# Two sites, so that each side gets its own renderer process (and CPU limit).
ORIGIN = f"http://{LOOPBACK}:9"
REMOTE_ORIGIN = "http://127.0.0.2:9"
CUSTOMER_URL = f"{ORIGIN}/customer/call.html"
REMOTE_URL = f"{REMOTE_ORIGIN}/remote/call.html"
# Renderer threads that run the video encoder (Chromium's high-priority thread pool).
_ENCODER_THREADS = ("ThreadPoolPrese",)
CALL_GRACE_S = 90.0  # browser start, ICE set-up and the dump download
_PC_HEADER = re.compile(r"/customer/call\.html \[ rid: \d+, lid: \d+, pid: (\d+) \]")


class LabError(RtcdeskError):
    """The lab call could not be run."""

    exit_code = 6
    title = "Lab failure"


@dataclass
class CallOutcome:
    """What one call produced, before labels and summaries are written."""

    dump: dict[str, Any]
    customer_pc: str
    started_at: str
    relay: dict[str, dict[str, int]]
    stray_packets: int
    notes: list[str] = field(default_factory=list)
    dump_source: str = "chrome://webrtc-internals"


def _page_file(name: str) -> bytes:
    return resources.files("rtcdesk.lab").joinpath("page", name).read_bytes()


async def _serve(route: Route) -> None:
    url = route.request.url.split("?")[0]
    if url.endswith("/call.js"):
        await route.fulfill(body=_page_file("call.js"), content_type="text/javascript")
    elif url.endswith("/call.html"):
        await route.fulfill(body=_page_file("call.html"), content_type="text/html")
    else:
        await route.fulfill(status=404, body=b"not found")


async def _refuse(route: Route) -> None:
    await route.abort("blockedbyclient")


async def run_call(scenario: Scenario, *, use_internals: bool = True) -> CallOutcome:
    """Run the scenario's call and return the customer's webrtc-internals dump.

    The dump comes from chrome://webrtc-internals; if that fails (or ``use_internals`` is
    false) it is built from the page's own getStats samples in the same format.
    """
    loop = asyncio.get_running_loop()
    uplink = DirectionPipeline(scenario.for_direction("uplink"), scenario.seed, "uplink")
    downlink = DirectionPipeline(scenario.for_direction("downlink"), scenario.seed, "downlink")
    relay = UdpRelay(uplink, downlink, loop)
    try:
        with tempfile.TemporaryDirectory(prefix="rtcdesk-lab-") as profile:
            async with async_playwright() as pw:
                clip = write_camera_clip(Path(profile) / "camera.y4m")
                ctx = await pw.chromium.launch_persistent_context(
                    str(Path(profile) / "user-data"),
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={clip}"],
                    headless=True,
                    accept_downloads=True,
                )
                try:
                    return await asyncio.wait_for(
                        _call(ctx, scenario, relay, use_internals=use_internals),
                        scenario.duration_s + CALL_GRACE_S,
                    )
                except TimeoutError as exc:
                    raise LabError("the lab call did not finish in time") from exc
                finally:
                    await ctx.close()
    finally:
        relay.close()


async def _call(
    ctx: BrowserContext, scenario: Scenario, relay: UdpRelay, *, use_internals: bool
) -> CallOutcome:
    # Opened before the call so it records everything (and shows the renderer pids).
    internals = await ctx.new_page()
    await internals.goto("chrome://webrtc-internals")
    # Later routes win: anything that is not one of our two pages is refused outright.
    await ctx.route(lambda url: True, _refuse)
    await ctx.route(f"{ORIGIN}/**", _serve)
    await ctx.route(f"{REMOTE_ORIGIN}/**", _serve)
    remote = await ctx.new_page()
    customer = await ctx.new_page()
    await remote.goto(REMOTE_URL)
    await customer.goto(CUSTOMER_URL)
    separate = any(f.kind == "av_drift" for f in scenario.app_faults)
    opts = {"separateStreams": separate}
    await remote.evaluate("o => lab.setup(o)", opts)
    await customer.evaluate("o => lab.setup(o)", opts)

    relay.start_clock()
    started_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    offer = await customer.evaluate("() => lab.offer()")
    answer = await remote.evaluate("s => lab.answer(s)", offer)
    await customer.evaluate("s => lab.accept(s)", answer)
    await _hand_candidates(customer, remote, relay)

    notes: list[str] = []
    faults = [
        asyncio.create_task(_app_fault(customer, internals, f, relay, notes))
        for f in scenario.app_faults
    ]
    try:
        await asyncio.sleep(max(0.0, scenario.duration_s - relay.now()))
    finally:
        for task in faults:
            task.cancel()
        await asyncio.gather(*faults, return_exceptions=True)
    source, dump, customer_pc = "chrome://webrtc-internals", None, FALLBACK_PC_KEY
    if use_internals:
        try:
            dump = await _download_dump(internals)
            customer_pc = _keep_customer(dump)
        except (PlaywrightError, LabError, OSError, ValueError) as exc:
            source = f"getStats polling in the page (webrtc-internals download failed: {exc})"
    else:
        source = "getStats polling in the page (requested)"
    if dump is None:
        dump = dump_from_history(await customer.evaluate("() => lab.history()"))
    return CallOutcome(
        dump_source=source,
        dump=dump,
        customer_pc=customer_pc,
        started_at=started_at,
        relay={
            "uplink": relay.uplink.counters.as_dict(),
            "downlink": relay.downlink.counters.as_dict(),
        },
        stray_packets=relay.stray_packets,
        notes=notes,
    )


async def _hand_candidates(customer: Page, remote: Page, relay: UdpRelay) -> None:
    """Trickle each side's loopback UDP candidates to the other, rewritten to relay ports."""
    handed = await _trickle(customer, remote, relay.front_port)
    if handed == 0:
        raise LabError("the customer gathered no 127.0.0.1 UDP candidate; cannot relay the call")
    await _trickle(remote, customer, relay.back_port)


async def _trickle(src: Page, dst: Page, port_for: Callable[[tuple[str, int]], int]) -> int:
    deadline = asyncio.get_running_loop().time() + 10.0
    handed = 0
    while asyncio.get_running_loop().time() < deadline:
        batch = await src.evaluate("() => lab.takeCandidates()")
        for cand in batch["candidates"]:
            rewritten = rewrite_candidate(cand["candidate"], port_for)
            if rewritten is None:
                continue
            cand["candidate"] = rewritten
            await dst.evaluate("c => lab.addCandidate(c)", cand)
            handed += 1
        if batch["done"]:
            break
        await asyncio.sleep(0.05)
    return handed


def rewrite_candidate(candidate: str, port_for: Callable[[tuple[str, int]], int]) -> str | None:
    """Swap a 127.0.0.1 UDP host candidate's port for a relay port; None for anything else."""
    parts = candidate.split()
    # candidate:<foundation> <component> <protocol> <priority> <ip> <port> typ <type> ...
    if len(parts) < 8 or parts[2].lower() != "udp" or parts[4] != LOOPBACK or parts[7] != "host":
        return None
    parts[5] = str(port_for((LOOPBACK, int(parts[5]))))
    return " ".join(parts)


async def _app_fault(
    customer: Page, internals: Page, fault: Phase, relay: UdpRelay, notes: list[str]
) -> None:
    await asyncio.sleep(max(0.0, fault.start_s - relay.now()))
    limit: CpuLimit | None = None
    try:
        if fault.kind == "mic_muted":
            await customer.evaluate("() => lab.setMicEnabled(false)")
        elif fault.kind == "camera_stopped":
            await customer.evaluate("() => lab.stopCamera()")
        elif fault.kind == "av_drift":
            await customer.evaluate("ms => lab.setVideoDelay(ms)", fault.params["video_delay_ms"])
        elif fault.kind == "cpu_starvation":
            limit = await _starve(customer, internals, fault, notes)
        if fault.end_s is None and limit is None:
            return
        end = fault.end_s if fault.end_s is not None else 1e9
        while relay.now() < end:
            await asyncio.sleep(min(1.0, max(0.0, end - relay.now())))
            if limit is not None:
                limit.refresh()  # the thread pool may have started new workers
        if fault.kind == "mic_muted":
            await customer.evaluate("() => lab.setMicEnabled(true)")
        elif fault.kind == "av_drift":
            await customer.evaluate("() => lab.setVideoDelay(0)")
        elif fault.kind == "cpu_starvation":
            await customer.evaluate("() => lab.stopCpuBurn()")
    finally:
        if limit is not None:
            limit.release()


async def _starve(
    customer: Page, internals: Page, fault: Phase, notes: list[str]
) -> CpuLimit | None:
    """Cap the customer's renderer with a cgroup quota and add busy-loop workers."""
    workers = int(fault.params["workers"])
    if workers:
        await customer.evaluate("n => lab.startCpuBurn(n)", workers)
    reason = CpuLimit.unavailable_reason()
    match = _PC_HEADER.search(await internals.inner_text("body"))
    if reason is None and match is None:
        reason = "the customer renderer pid is not shown in webrtc-internals"
    if reason is not None or match is None:
        notes.append(f"cpu_starvation: {workers} busy workers only; no cgroup ({reason})")
        return None
    limit = CpuLimit(int(match.group(1)), float(fault.params["cpu_percent"]), _ENCODER_THREADS)
    try:
        limit.apply()
    except OSError as exc:
        limit.release()
        notes.append(f"cpu_starvation: {workers} busy workers only; cgroup failed ({exc})")
        return None
    notes.append(
        f"cpu_starvation: customer renderer pid {limit.pid} capped at "
        f"{limit.percent:g}% of one CPU (cgroup CFS quota on its {_ENCODER_THREADS[0]}* "
        f"encoder threads) plus {workers} busy workers"
    )
    return limit


async def _download_dump(internals: Page) -> dict[str, Any]:
    """Press 'Download the webrtc-internals dump' and read the file it saves."""
    await internals.click("text=Create a WebRTC-Internals dump")
    async with internals.expect_download(timeout=30_000) as info:
        await internals.click("#dump-click-target")
    download = await info.value
    with tempfile.TemporaryDirectory(prefix="rtcdesk-dump-") as tmp:
        path = Path(tmp) / "dump"
        await download.save_as(path)
        raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data: dict[str, Any] = json.loads(raw)
    return data


def _keep_customer(dump: dict[str, Any]) -> str:
    """Drop the remote page's entries so the dump is what the customer's browser shows."""
    pcs: dict[str, Any] = dump.get("PeerConnections", {})
    for key in [k for k, v in pcs.items() if "/customer/" not in str(v.get("url", ""))]:
        del pcs[key]
    dump["getUserMedia"] = [
        g for g in dump.get("getUserMedia", []) if "/customer/" in str(g.get("url", ""))
    ]
    if not pcs:
        raise LabError("the webrtc-internals dump holds no customer peer connection")
    return next(iter(pcs))
