"""Pure scheduling and rules: plain inputs, an explicit ``now``, results out; no I/O."""
