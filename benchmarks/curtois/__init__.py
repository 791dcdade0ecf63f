"""The Curtois & Qu shift-scheduling benchmark, solved through the same RosterModel the legal-aid centres use."""
