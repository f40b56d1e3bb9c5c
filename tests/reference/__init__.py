"""Previous implementations kept unchanged as test oracles (not imported by the app)."""
