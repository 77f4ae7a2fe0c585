"""``python -m emutools``: the same command line as ``emutools``, for a machine where pip's
Scripts folder is not on PATH (common on an office PC installed without admin rights)."""

from emutools.cli import main

if __name__ == "__main__":
    main()
