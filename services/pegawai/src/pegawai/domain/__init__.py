"""Pure rules of the employee master data: no I/O, so they are tested without a database."""
