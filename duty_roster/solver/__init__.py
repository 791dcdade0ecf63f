"""The roster solver: a pure library. `Problem` in, `Solution` out (CP-SAT underneath).

    from duty_roster.solver.problem import Problem, Person, Shift
    from duty_roster.solver.solve import solve
    from duty_roster.solver.repair import repair
    solution = solve(problem, time_limit=10)

No Flask, no database, no other duty_roster package: `rostering/` builds the Problem and stores the Solution.

This package file imports nothing on purpose: the data classes (`problem`, `solution`) are imported by the web
processes (the centre-file schema uses them), and must not load OR-Tools, which costs a second or two. Import the
functions from their modules; re-exporting `solve` and `repair` here lazily would be shadowed by the submodules of
the same names.
"""
