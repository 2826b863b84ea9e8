"""Demo data for `make run`: institutions, this year's programs, enrolments, completions and
learning records, loaded through pelatihan's own commands so that the events flow."""
