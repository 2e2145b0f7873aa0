"""Scheduled jobs and the clock process that runs them."""
