"""Durable background jobs: a queue table in the application database, and its worker.

Public entry points: ``rtcdesk.jobs.service`` (enqueue, cancel, retry, drop, purge),
``rtcdesk.jobs.registry`` (``JobRegistry``, ``JobContext``), ``rtcdesk.jobs.worker``
(``Worker``, ``start_embedded_worker``) and ``rtcdesk.jobs.queries`` (operator views).
"""
