"""DEMO DATA for `make run`: two years of agreed SKPs with their annual predikat, this
year's SKPs in every state, appraisals waiting to be rated and some feedback — loaded
through kinerja's own commands, so every event goes through the outbox."""
