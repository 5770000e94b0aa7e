// Reference solvers (GLPK, LAPACK) live here.
