"""7x24 on-call: schedules, layers, overrides and who is on call when (docs/oncall.md)."""
