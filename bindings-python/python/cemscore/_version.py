"""The installed version: the workspace's one version (``[workspace.package]`` in Cargo.toml)."""

import importlib.metadata

__all__ = ["__version__"]

#: The installed version, as pip reports it.
__version__: str = importlib.metadata.version("cemscore")
