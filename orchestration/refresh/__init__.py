"""What a refresh rebuilds and what it does first: the plan (plan.py), crash recovery of runs whose process died,
the quarantine of live periods that fail their contract, which bulk rows a check must look at again
(recheck_scope.py), and how fresh each live source should be."""
