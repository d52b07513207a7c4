"""The command line: ``python -m data|surveys|analysis|panel …`` run these modules.

Each package's ``__main__`` is a two-line shim into here, so the data layer's entry point
may seed the demo and report every package's status without the data layer importing
anything above it.
"""
