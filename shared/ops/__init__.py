"""The operator command: ``python -m shared.ops <command>`` (docs/operations.md, "The operator command").

For the council's infrastructure team, from a shell beside the running services: rebuild a read
model from the log, see, retry and skip parked events, verify the log against its signed
checkpoints, and see how far each subscription is behind. Each action goes through the same
functions the services and their operations routes use, and each one that changes anything is
recorded with the ``--actor`` who asked for it.
"""
