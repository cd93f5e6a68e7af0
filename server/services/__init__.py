"""Services: each runs one use case inside the request's session and commits once."""
