"""Training without a framework: a float64 Levenberg–Marquardt trainer (:mod:`.train`)."""
