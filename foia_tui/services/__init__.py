"""The use cases the app and the CLI call: each joins archive reads and writes with the domain logic over them."""
