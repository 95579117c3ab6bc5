"""Diagnostics engine: parse WebRTC dumps and name the root cause with evidence.

Public API: :func:`rtcdesk.diagnostics.engine.diagnose_bytes`, ``diagnose_path``, ``sniff``
and :func:`rtcdesk.diagnostics.render.render`. The pure core has no database or web code.
"""
