"""Views for people: matplotlib figures (:mod:`.plots`)."""
