"""The email channel: parsing inbound mail into tickets and messages (docs/email.md)."""
