"""A tiny starting point for a lathe project."""

import os


def project_name():
    """The project's name, from lathe's environment or CML's."""
    for var in ("LATHE_PROJECT", "CDSW_PROJECT"):
        value = os.environ.get(var)
        if value:
            return value
    return "this project"


def main():
    print(f"Hello from {project_name()}!")


if __name__ == "__main__":
    main()
