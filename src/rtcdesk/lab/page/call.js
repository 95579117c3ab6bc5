// One side of an rtcdesk lab call. The Python lab drives it through window.lab;
// signalling happens in Python so the lab can rewrite ICE candidates to its relay.
"use strict";
(() => {
  const state = { pc: null, stream: null, candidates: [], gatheringDone: false,
                  workers: [], events: [], videoDelayMs: 0 };

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
    const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: "max-bundle" });
    state.pc = pc;
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
      if (e.candidate && e.candidate.candidate) {
        state.candidates.push({ candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
                                sdpMLineIndex: e.candidate.sdpMLineIndex });
      } else {
        state.gatheringDone = true;
      }
    };
    pc.oniceconnectionstatechange = () => log("ice", pc.iceConnectionState);
    pc.onconnectionstatechange = () => log("connection", pc.connectionState);
    pc.ontrack = (e) => {
      const el = document.getElementById(e.track.kind === "video" ? "remote" : "remote-audio");
      el.srcObject = new MediaStream([e.track]);
      el.play().catch(() => {});
      applyVideoDelay();
    };
    return true;
  }

  async function offer() {
    const o = await state.pc.createOffer();
    await state.pc.setLocalDescription(o);
    return stripCandidates(state.pc.localDescription.sdp);
  }

  async function answer(sdp) {
    await state.pc.setRemoteDescription({ type: "offer", sdp });
    const a = await state.pc.createAnswer();
    await state.pc.setLocalDescription(a);
    return stripCandidates(state.pc.localDescription.sdp);
  }

  async function accept(sdp) {
    await state.pc.setRemoteDescription({ type: "answer", sdp: stripCandidates(sdp) });
    return true;
  }

  function takeCandidates() {
    const out = state.candidates;
    state.candidates = [];
    return { candidates: out, done: state.gatheringDone };
  }

  async function addCandidate(c) {
    await state.pc.addIceCandidate(c);
    return true;
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
                 setMicEnabled, stopCamera, setVideoDelay, startCpuBurn, stopCpuBurn, stats };
})();
