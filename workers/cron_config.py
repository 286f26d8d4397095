"""Configuration module for ``rq cron workers.cron_config``: registers PERIODIC_JOBS."""

from rq import cron

from workers.context import import_job
from workers.schedule import PERIODIC_JOBS

for periodic in PERIODIC_JOBS:
    cron.register(import_job(periodic.func), periodic.queue, cron=periodic.cron,
                  interval=periodic.interval, name=periodic.func)
