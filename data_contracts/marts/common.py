"""Field settings more than one domain's mart contracts use."""

SHARE = dict(ge=0, le=1, nullable=True)
EPSILON = 1e-9  # float sums of shares
