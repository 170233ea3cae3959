"""Thin command line over the library: parse options, build Settings, call spillguard.scan."""
