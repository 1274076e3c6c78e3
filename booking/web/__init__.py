"""HTTP: controllers that parse, call a service and render; one map from errors to responses."""
