"""Pure logic over emails, people, releases and queries: no SQL, no UI, no I/O, so every rule is testable alone."""
