"""The suite's local infrastructure as plain processes: Kafka 4 (KRaft) and PostgreSQL 15."""

from devstack.config import StackConfig, free_port
from devstack.containers import ContainerStack, docker_available, make_stack
from devstack.kafka import Kafka
from devstack.postgres import Postgres
from devstack.processes import StackError
from devstack.stack import Stack

__all__ = [
    "ContainerStack",
    "Kafka",
    "Postgres",
    "Stack",
    "StackConfig",
    "StackError",
    "docker_available",
    "free_port",
    "make_stack",
]
