"""Service levels: business calendars, SLA clocks and (later) policies, timers and views."""
