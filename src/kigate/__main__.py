from kigate.cli import entry

entry()
