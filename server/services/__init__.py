"""Services: each runs one use case in the request's session and commits once, through its `unit_of_work`."""
