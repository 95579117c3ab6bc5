// One side of an rtcdesk lab call. The Python lab drives it through window.lab;
// signalling happens in Python so the lab can rewrite ICE candidates to its relay.
"use strict";
(() => {
  const state = { pc: null, stream: null, candidates: [], gatheringDone: false,
                  workers: [], events: [], videoDelayMs: 0, updateLog: [], samples: [],
                  sampler: null };

  // A webrtc-internals-style update log and 1 s getStats samples, kept in case the
  // browser's own chrome://webrtc-internals dump cannot be downloaded.
  function record(type, value) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    state.updateLog.push({ type, value: text === undefined ? "" : text, timestamp: Date.now() });
  }

  async function traced(name, value, fn) {
    record(name, value);
    try {
      const result = await fn();
      record(name + "OnSuccess", result && result.sdp ? { type: result.type, sdp: result.sdp } : "");
      return result;
    } catch (e) {
      record(name + "OnFailure", String(e));
      throw e;
    }
  }

  async function sample() {
    if (!state.pc) return;
    const reports = [];
    (await state.pc.getStats()).forEach((r) => reports.push(r));
    state.samples.push({ t: Date.now(), reports });
    if (state.samples.length > 1000) state.samples.shift();
  }

  function log(type, value) {
    state.events.push({ type, value, t: Date.now() });
  }

  function stripCandidates(sdp) {
    return sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate:") &&
      !l.startsWith("a=end-of-candidates")).join("\r\n");
  }

  function applyVideoDelay() {
    if (!state.pc || !state.videoDelayMs) return;
    for (const r of state.pc.getReceivers()) {
      if (r.track && r.track.kind === "video") {
        try { r.jitterBufferTarget = Math.min(state.videoDelayMs, 4000); } catch (e) { log("error", String(e)); }
        try { r.playoutDelayHint = state.videoDelayMs / 1000; } catch (e) { log("error", String(e)); }
      }
    }
  }

  async function setup(opts) {
    const video = { width: 640, height: 360, frameRate: 30 };
    state.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    const config = { iceServers: [], bundlePolicy: "max-bundle" };
    const pc = new RTCPeerConnection(config);
    state.pc = pc;
    state.config = config;
    state.sampler = setInterval(() => { sample().catch(() => {}); }, 1000);
    const [audio] = state.stream.getAudioTracks();
    const [cam] = state.stream.getVideoTracks();
    if (opts.separateStreams) {
      // Audio and video in different MediaStreams: no lip-sync between them.
      pc.addTrack(audio, new MediaStream([audio]));
      pc.addTrack(cam, new MediaStream([cam]));
    } else {
      pc.addTrack(audio, state.stream);
      pc.addTrack(cam, state.stream);
    }
    document.getElementById("local").srcObject = new MediaStream([cam]);
    pc.onicecandidate = (e) => {
      record("onicecandidate", e.candidate ? { sdpMid: e.candidate.sdpMid,
        sdpMLineIndex: e.candidate.sdpMLineIndex, candidate: e.candidate.candidate } : "");
      if (e.candidate && e.candidate.candidate) {
        state.candidates.push({ candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
                                sdpMLineIndex: e.candidate.sdpMLineIndex });
      } else {
        state.gatheringDone = true;
      }
    };
    pc.oniceconnectionstatechange = () => {
      log("ice", pc.iceConnectionState);
      record("oniceconnectionstatechange", JSON.stringify(pc.iceConnectionState));
    };
    pc.onconnectionstatechange = () => {
      log("connection", pc.connectionState);
      record("onconnectionstatechange", JSON.stringify(pc.connectionState));
    };
    pc.onsignalingstatechange = () =>
      record("onsignalingstatechange", JSON.stringify(pc.signalingState));
    pc.onicegatheringstatechange = () =>
      record("onicegatheringstatechange", JSON.stringify(pc.iceGatheringState));
    pc.ontrack = (e) => {
      record("ontrack", { kind: e.track.kind, id: e.track.id, label: e.track.label,
                          streams: e.streams.map((m) => m.id) });
      const el = document.getElementById(e.track.kind === "video" ? "remote" : "remote-audio");
      el.srcObject = new MediaStream([e.track]);
      el.play().catch(() => {});
      applyVideoDelay();
    };
    return true;
  }

  async function offer() {
    const pc = state.pc;
    const o = await traced("createOffer", "", () => pc.createOffer());
    await traced("setLocalDescription", { type: o.type, sdp: o.sdp },
                 () => pc.setLocalDescription(o));
    return stripCandidates(pc.localDescription.sdp);
  }

  async function answer(sdp) {
    const pc = state.pc;
    await traced("setRemoteDescription", { type: "offer", sdp },
                 () => pc.setRemoteDescription({ type: "offer", sdp }));
    const a = await traced("createAnswer", "", () => pc.createAnswer());
    await traced("setLocalDescription", { type: a.type, sdp: a.sdp },
                 () => pc.setLocalDescription(a));
    return stripCandidates(pc.localDescription.sdp);
  }

  async function accept(sdp) {
    const desc = { type: "answer", sdp: stripCandidates(sdp) };
    await traced("setRemoteDescription", desc, () => state.pc.setRemoteDescription(desc));
    return true;
  }

  function takeCandidates() {
    const out = state.candidates;
    state.candidates = [];
    return { candidates: out, done: state.gatheringDone };
  }

  async function addCandidate(c) {
    await traced("addIceCandidate", c, () => state.pc.addIceCandidate(c));
    return true;
  }

  function history() {
    return { updateLog: state.updateLog, samples: state.samples, url: location.href,
             rtcConfiguration: JSON.stringify(state.config || {}),
             userAgent: navigator.userAgent };
  }

  function status() {
    return { ice: state.pc ? state.pc.iceConnectionState : "none",
             connection: state.pc ? state.pc.connectionState : "none", events: state.events };
  }

  function setMicEnabled(on) {
    for (const t of state.stream.getAudioTracks()) t.enabled = on;
    log("mic", on);
  }

  function stopCamera() {
    for (const t of state.stream.getVideoTracks()) t.stop();
    log("camera", "stopped");
  }

  function setVideoDelay(ms) {
    state.videoDelayMs = ms;
    applyVideoDelay();
    log("videoDelay", ms);
  }

  function startCpuBurn(n) {
    // Busy-looping workers compete with the encoder threads of this renderer.
    const src = "for (;;) { let x = 0; for (let i = 0; i < 1e7; i++) { x += Math.sqrt(i); } }";
    const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
    for (let i = 0; i < n; i++) state.workers.push(new Worker(url));
    log("cpuBurn", n);
  }

  function stopCpuBurn() {
    for (const w of state.workers) w.terminate();
    state.workers = [];
    log("cpuBurn", 0);
  }

  async function stats() {
    const out = [];
    if (!state.pc) return out;
    (await state.pc.getStats()).forEach((r) => out.push(r));
    return out;
  }

  window.lab = { setup, offer, answer, accept, takeCandidates, addCandidate, status,
                 setMicEnabled, stopCamera, setVideoDelay, startCpuBurn, stopCpuBurn, stats,
                 history };
})();
