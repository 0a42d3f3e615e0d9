"""Fails when the ELF file argv[1] (a Node addon) needs a glibc newer than argv[2] (2.17: manylinux2014's),
read from its version needs (.gnu.version_r) with pyelftools (auditwheel's dependency)."""

import sys

from elftools.elf.elffile import ELFFile


def version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.removeprefix("GLIBC_").split("."))


path, limit = sys.argv[1], version(sys.argv[2])
with open(path, "rb") as f:
    needs = ELFFile(f).get_section_by_name(".gnu.version_r")
    names = {aux.name for _, auxes in needs.iter_versions() for aux in auxes if aux.name.startswith("GLIBC_2")}
newest = max(names, key=version)
assert version(newest) <= limit, f"{path} needs {newest}, newer than glibc {sys.argv[2]}"
print(f"{path.rsplit('/', 1)[-1]}: needs glibc ≥ {newest.removeprefix('GLIBC_')}")
