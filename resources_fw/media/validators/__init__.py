"""Request and response validation for responders."""
