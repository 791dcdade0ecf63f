"""Use cases: build a solver Problem from the database, generate and store drafts, publish versions, repair.

Data flows one way: database -> Problem -> solver -> Solution -> draft Roster -> published version.
"""
