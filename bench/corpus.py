"""Fetch the pinned corpus of real TF2 code listed in ``bench/corpus.toml``.

    python bench/corpus.py [--fast] [DEST]      # default DEST: .corpus/ in the repo

Wheels come from PyPI (``pip download``), are checked against their sha256 and
only their ``.py`` files are unpacked, one folder per package.  A package with no
wheel on PyPI is pinned by its source distribution (``.tar.gz``), unpacked the same way.  Idempotent: a
folder stamped with the same hash is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
DEFAULT_DEST = HERE.parent / ".corpus"
STAMP = ".fetched-sha256"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    wheel: str
    sha256: str
    fast: bool = False
    # The project's name on PyPI where it differs from the folder name (``tensorflow-tts`` is ``TensorFlowTTS``,
    # which pip normalises to ``tensorflowtts``).
    project: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.project or self.name}=={self.version}"


def pinned_packages(fast_only: bool = False) -> list[Package]:
    data = tomllib.loads((HERE / "corpus.toml").read_text(encoding="utf-8"))
    packages = [Package(**entry) for entry in data["package"]]
    return [package for package in packages if package.fast or not fast_only]


def fetch(packages: list[Package], dest: Path = DEFAULT_DEST, progress=print) -> list[Path]:
    """Unpack each package's ``.py`` files into ``dest/<name>``; returns those folders."""
    downloads = dest / "_wheels"
    downloads.mkdir(parents=True, exist_ok=True)
    folders = []
    for package in packages:
        folder = dest / package.name
        stamp = folder / STAMP
        if stamp.is_file() and stamp.read_text().strip() == package.sha256:
            progress(f"ok      {package.name}=={package.version}")
            folders.append(folder)
            continue
        wheel = downloads / package.wheel
        if not _sha_ok(wheel, package.sha256):
            wheel.unlink(missing_ok=True)
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(downloads),
                       package.requirement]
            if _is_sdist(package.wheel):
                # pip prepares an sdist's metadata before it saves it; in an isolated build environment some pin build
                # requirements that no longer build (xagents: numpy==1.19.5, built from source for minutes, then
                # failing), so the running environment's setuptools prepares it first.
                done = subprocess.run([*command, "--no-binary", package.project or package.name,
                                       "--no-build-isolation"])
                if done.returncode:
                    subprocess.run([*command, *_download_options(package)], check=True)
            else:
                subprocess.run([*command, *_download_options(package)], check=True)
            if not _sha_ok(wheel, package.sha256):
                raise RuntimeError(f"{package.wheel}: missing or sha256 mismatch")
        shutil.rmtree(folder, ignore_errors=True)
        count = _unpack_python_files(wheel, folder)
        stamp.write_text(package.sha256 + "\n")
        progress(f"fetched {package.name}=={package.version} ({count} .py files)")
        folders.append(folder)
    return folders


def _sha_ok(path: Path, expected: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected


def _is_sdist(archive: Path | str) -> bool:
    return str(archive).endswith(".tar.gz")


def _download_options(package: Package) -> list[str]:
    if _is_sdist(package.wheel):
        return ["--no-binary", ":all:"]
    return ["--only-binary", ":all:", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
            "--platform", "manylinux2014_x86_64"]


def _python_members(archive: Path):
    """(path inside the package, bytes) of each ``.py`` file of a wheel or a source distribution."""
    if _is_sdist(archive):
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.endswith(".py"):
                    yield member.name.split("/", 1)[-1], tar.extractfile(member).read()
        return
    with zipfile.ZipFile(archive) as wheel:
        for info in wheel.infolist():
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                yield re.sub(r"^[^/]+\.data/(purelib|platlib)/", "", info.filename), wheel.read(info)


def _unpack_python_files(archive: Path, folder: Path) -> int:
    folder.mkdir(parents=True)
    count = 0
    for name, content in _python_members(archive):
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise RuntimeError(f"unsafe path in {archive.name}: {name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--fast", action="store_true", help="only the small package(s) CI lints")
    arguments = parser.parse_args()
    fetch(pinned_packages(arguments.fast), arguments.dest)


if __name__ == "__main__":
    main()
