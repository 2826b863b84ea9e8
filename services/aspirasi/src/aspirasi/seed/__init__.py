"""Demo data for `make run`: tickets of every kind and state over the last months, and two
forum sessions with follow-ups, made through the service's own commands so events flow."""
