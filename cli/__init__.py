"""The command line: ``seoul data|surveys|analysis|panel …`` (:mod:`cli.main`).

``python -m data|surveys|analysis|panel …`` run the same commands: each package's
``__main__`` is a two-line shim into here, so the data layer's entry point may seed the
demo and report every package's status without the data layer importing anything above
it. :mod:`cli.common` holds what every command shares: the exit codes, opening the
configured store (the lock message naming its holder) and refusals.
"""
