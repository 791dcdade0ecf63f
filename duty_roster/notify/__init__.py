"""Text messages (SMS) to duty staff: the outbox (queued in the caller's transaction), the channels that deliver it
(console log by default, Twilio when configured) and the dispatcher that moves rows from one to the other.

See docs/notifications.md. Import the submodules you need; this package imports nothing so that models and use
cases can depend on `duty_roster.notify.outbox` without pulling in the Twilio SDK.
"""
