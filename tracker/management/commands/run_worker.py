"""`manage.py run_worker`: django-tasks-db's `db_worker`, kept up.

`db_worker` records a task that raises as failed and goes on, but an error of its own ends the process: "database
is locked" while it starts the transaction that claims a task (SQLite, behind a long import), or while it records
a result (it tries three times in 0.2 s), or a dropped PostgreSQL connection. This worker logs the error, closes
its connections, waits (1 s, doubling to 30 s while errors repeat) and runs its loop again. A task whose result
could not be recorded is recorded as failed once the database answers, so it never stays "running" for ever.
Ctrl-C and SIGTERM still stop it as they stop `db_worker`. It takes the same options.
"""

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


class SupervisedWorker(db_worker.Worker):
    first_pause = 1.0  # seconds after an error; doubled while errors repeat
    longest_pause = 30.0

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.unfinished: DBTaskResult | None = None  # a task whose result could not be recorded
        self.error: Exception | None = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.unfinished = db_task_result
        super().run_task(db_task_result)  # records the result, or raises if it can't
        self.unfinished = None

    def run(self) -> None:
        pause = self.first_pause
        while self.running:
            started = time.monotonic()
            try:
                self.record_unfinished()
                super().run()
                return  # --batch or --max-tasks ended it
            except Exception as error:
                if time.monotonic() - started > self.longest_pause:
                    pause = self.first_pause  # the loop ran well for a while: a new error, not the same one
                log.warning(
                    "worker %s stopped by %s: %s; running again in %.0f s",
                    self.worker_id,
                    type(error).__name__,
                    error,
                    pause,
                    exc_info=True,
                )
                self.error = error
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, self.longest_pause)

    def record_unfinished(self) -> None:
        if self.unfinished is not None and self.error is not None:
            self.unfinished.set_failed(self.error)  # its traceback holds the task's own error, if it raised
            log.warning("task %s recorded as failed after the worker's error", self.unfinished.id)
            self.unfinished = None


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks-db's db_worker) and keep it running: an error of the worker's "
        "own, such as 'database is locked', is logged and the worker starts its loop again after a short pause."
    )

    def handle(
        self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, **options
    ):
        self.configure_logging(verbosity)
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_name.split(","):
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SupervisedWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child the reloader starts
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
