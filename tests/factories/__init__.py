"""Factories that build test data through the services, per domain."""
