"""Tests for hybridize_lint.discovery (real files under tmp_path)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hybridize_lint.discovery import (
    DEFAULT_EXCLUDE,
    DiscoveryError,
    DiscoveryResult,
    discover_files,
    is_excluded,
)


def make(root: Path, *names: str) -> None:
    """Create files (parents included); a name ending in "/" is a directory."""
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x = 1\n")


def found(root: Path, **kwargs) -> list[str]:
    """Discover from *root* and return the files relative to it, as posix strings."""
    result = discover_files([root], root=root, **kwargs)
    assert result.errors == []
    return [path.relative_to(root).as_posix() for path in result.files]


def test_walks_recursively_collecting_py_and_pyi_sorted(tmp_path: Path) -> None:
    make(tmp_path, "z.py", "a.pyi", "notes.txt", "pkg/mod.py", "pkg/data.json",
         "pkg/sub/deep.py", "pkg/sub/script", "empty/")
    result = discover_files([tmp_path], root=tmp_path)
    assert isinstance(result, DiscoveryResult)
    assert result.files == [tmp_path / "a.pyi", tmp_path / "pkg/mod.py",
                            tmp_path / "pkg/sub/deep.py", tmp_path / "z.py"]
    assert result.errors == []


def test_paths_are_kept_as_given_not_resolved(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, "src/a.py")
    monkeypatch.chdir(tmp_path)
    result = discover_files([Path("src"), Path("src/a.py")], root=Path("."))
    assert result.files == [Path("src/a.py")]  # relative and de-duplicated


def test_default_excludes(tmp_path: Path) -> None:
    make(tmp_path, "src/ok.py", ".git/hooks/x.py", "build/x.py", "dist/x.py",
         "pkg.egg-info/x.py", "src/__pycache__/x.py", "node_modules/x.py",
         ".venv/x.py", "myenv/pyvenv.cfg", "myenv/lib/site/x.py")
    assert found(tmp_path) == ["src/ok.py"]
    assert "*.egg-info" in DEFAULT_EXCLUDE and ".hybridize_lint_cache" in DEFAULT_EXCLUDE


def test_exclude_replaces_defaults(tmp_path: Path) -> None:
    make(tmp_path, "build/b.py", "gen/g.py", "src/gen.py", "src/ok.py")
    assert found(tmp_path, exclude=["gen", "gen.py"]) == ["build/b.py", "src/ok.py"]


def test_extend_exclude_adds_to_defaults(tmp_path: Path) -> None:
    make(tmp_path, "build/b.py", "gen/g.py", "src/ok.py", "src/test_x.py")
    assert found(tmp_path, extend_exclude=["gen", "test_*.py"]) == ["src/ok.py"]


def test_exclude_patterns_with_slash_are_relative_to_root(tmp_path: Path) -> None:
    make(tmp_path, "src/gen/a.py", "src/gen/sub/b.py", "lib/src/gen/a.py",
         "tests/fixtures/f.py", "tests/unit/fixtures/g.py", "tests/unit/t.py",
         "pkg/m1.py", "pkg/m2.py", "pkg/mx.py", "pkg/abc.py")
    files = found(tmp_path, exclude=["src/gen/*.py", "tests/**/fixtures", "pkg/m[0-9].py",
                                     "./pkg/a?c.py"])
    assert files == ["lib/src/gen/a.py", "pkg/mx.py", "src/gen/sub/b.py", "tests/unit/t.py"]


def test_is_excluded_checks_components_below_root(tmp_path: Path) -> None:
    root = tmp_path / "build"  # the root's own name does not count
    assert not is_excluded(root / "src/a.py", root=root, exclude=DEFAULT_EXCLUDE)
    assert is_excluded(root / "src/venv/a.py", root=root, exclude=DEFAULT_EXCLUDE)
    assert is_excluded(root / "x.egg-info/a.py", root=root, exclude=DEFAULT_EXCLUDE)
    assert not is_excluded(root / "src/gen/a.py", root=root, exclude=DEFAULT_EXCLUDE)
    assert is_excluded(root / "src/gen/a.py", root=root, exclude=(), extend_exclude=["gen"])
    assert is_excluded(root / "src/gen/sub/a.py", root=root, exclude=["src/gen"])
    assert not is_excluded(root / "lib/src/gen/a.py", root=root, exclude=["src/gen"])
    assert is_excluded(root / "a/b/c/d.py", root=root, exclude=["a/**/d.py"])
    assert is_excluded(root / "a/d.py", root=root, exclude=["a/**/d.py"])
    assert not is_excluded(root / "a/b/d.py", root=root, exclude=["a/*.py"])


def test_explicit_file_included_despite_exclusion_unless_forced(tmp_path: Path) -> None:
    make(tmp_path, "build/gen.py", "scripts/tool")
    explicit = [tmp_path / "scripts/tool", tmp_path / "build/gen.py"]
    assert discover_files(explicit, root=tmp_path).files == explicit[::-1]
    forced = discover_files(explicit, root=tmp_path, force_exclude=True)
    assert forced.files == [tmp_path / "scripts/tool"]
    assert forced.errors == []


def test_explicit_excluded_directory_walked_unless_forced(tmp_path: Path) -> None:
    make(tmp_path, "build/a.py", "build/dist/b.py")
    assert discover_files([tmp_path / "build"], root=tmp_path).files == [tmp_path / "build/a.py"]
    assert discover_files([tmp_path / "build"], root=tmp_path, force_exclude=True).files == []


GITIGNORE_TREE = (
    "keep.py", "top.py", "sub/top.py", "debug.log.py", "sub/debug.log.py",
    "scratch.py", "scratch/s.py", "sub/scratch/s.py",
    "docs/conf.py", "docs/a/b/page.py", "other/docs/conf.py",
    "sub/secret_ok.py", "sub/secret_bad.py", "secret_top.py", "sub/local.py", "local.py",
    "sub/deep/x.py", "sub/other/deep/x.py", "gone/keep.py", "gone/x.py",
    "#hash.py", "trail.py", "!bang.py", "sub/nested/tmp_1.py", "logs/x.py", "logs/keep.py",
)


def write_gitignores(root: Path) -> None:
    make(root, *GITIGNORE_TREE)
    (root / ".gitignore").write_text(
        "# a comment\n"
        "\n"
        "/top.py\n"             # anchored to root: sub/top.py stays
        "*.log.py\n"            # any depth
        "scratch*/\n"           # directories only: the file scratch.py stays
        "docs/**/*.py\n"        # middle slash anchors; ** spans zero or more dirs
        "secret_*.py\n"
        "gone/\n"
        "!gone/keep.py\n"       # cannot re-include inside an ignored directory
        "\\#hash.py\n"          # escaped comment char
        "trail.py   \n"         # trailing spaces trimmed
        "\\!bang.py\n"          # escaped negation
        "**/tmp_*.py\n"
        "logs/**\n"
        "!logs/keep.py\n"       # the directory itself is not ignored, so this works
    )
    (root / "sub/.gitignore").write_text(
        "!secret_ok.py\n"       # nested file re-includes what the parent ignored
        "local.py\n"            # applies only below sub/
        "deep/x.py\n"           # anchored to sub/
    )


def test_gitignore_semantics(tmp_path: Path) -> None:
    write_gitignores(tmp_path)
    assert found(tmp_path) == [
        "keep.py", "local.py", "logs/keep.py", "other/docs/conf.py", "scratch.py",
        "sub/other/deep/x.py", "sub/secret_ok.py", "sub/top.py",
    ]


def test_gitignore_can_be_disabled(tmp_path: Path) -> None:
    write_gitignores(tmp_path)
    everything = sorted(GITIGNORE_TREE, key=lambda name: name.split("/"))
    assert found(tmp_path, respect_gitignore=False) == everything


def test_gitignore_above_walked_directory_applies(tmp_path: Path) -> None:
    write_gitignores(tmp_path)
    result = discover_files([tmp_path / "sub"], root=tmp_path)
    assert result.files == [tmp_path / "sub/other/deep/x.py", tmp_path / "sub/secret_ok.py",
                            tmp_path / "sub/top.py"]


def test_git_info_exclude_has_lowest_precedence(tmp_path: Path) -> None:
    make(tmp_path, "a.py", "b.py", "c.py", ".git/info/")
    (tmp_path / ".git/info/exclude").write_text("a.py\nb.py\n")
    (tmp_path / ".gitignore").write_text("!b.py\n")
    assert found(tmp_path) == ["b.py", "c.py"]


def test_ignored_directory_is_not_descended_into(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, "gone/x.py", "kept/y.py")
    (tmp_path / ".gitignore").write_text("gone\n")
    seen: list[str] = []
    real_scandir = os.scandir

    def spy(path):
        seen.append(os.path.basename(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", spy)
    assert found(tmp_path) == ["kept/y.py"]
    assert "gone" not in seen and "kept" in seen


def test_symlink_loop_is_reported_and_walk_continues(tmp_path: Path) -> None:
    make(tmp_path, "pkg/a.py", "pkg/sub/b.py", "z.py", "target/t.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg/sub/loop", target_is_directory=True)
    os.symlink(tmp_path / "target", tmp_path / "pkg/linked", target_is_directory=True)
    os.symlink(tmp_path / "z.py", tmp_path / "pkg/alias.py")
    result = discover_files([tmp_path / "pkg"], root=tmp_path)
    pkg = tmp_path / "pkg"
    assert result.files == [pkg / "a.py", pkg / "alias.py", pkg / "linked/t.py", pkg / "sub/b.py"]
    assert result.errors == [DiscoveryError(pkg / "sub/loop", "symlink loop")]


def test_broken_python_symlink_is_reported_and_walk_continues(tmp_path: Path) -> None:
    make(tmp_path, "pkg/a.py", "pkg/z.py")
    os.symlink(tmp_path / "missing.py", tmp_path / "pkg/gone.py")
    os.symlink(tmp_path / "missing.txt", tmp_path / "pkg/notes.txt")  # not Python: not our business
    result = discover_files([tmp_path / "pkg"], root=tmp_path)
    assert result.files == [tmp_path / "pkg/a.py", tmp_path / "pkg/z.py"]
    assert result.errors == [DiscoveryError(tmp_path / "pkg/gone.py", "broken symbolic link")]


def test_unreadable_directory_is_reported_and_walk_continues(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, "a/ok.py", "b/secret.py", "c/ok.py")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "b":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = discover_files([tmp_path], root=tmp_path)
    assert result.files == [tmp_path / "a/ok.py", tmp_path / "c/ok.py"]
    assert result.errors == [DiscoveryError(tmp_path / "b", "permission denied")]


def test_unreadable_gitignore_is_reported(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, "a.py", ".gitignore")
    real_open = open

    def fake_open(file, *args, **kwargs):
        if os.path.basename(file) == ".gitignore":
            raise OSError(5, "Input/output error", file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    result = discover_files([tmp_path], root=tmp_path)
    assert result.files == [tmp_path / "a.py"]
    assert result.errors == [DiscoveryError(tmp_path / ".gitignore", "input/output error")]


def test_missing_path_is_an_error_not_an_exception(tmp_path: Path) -> None:
    make(tmp_path, "a.py")
    missing = tmp_path / "nope.py"
    result = discover_files([missing, tmp_path / "a.py"], root=tmp_path)
    assert result.files == [tmp_path / "a.py"]
    assert result.errors == [DiscoveryError(missing, "no such file or directory")]


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.py", "a.py", True),
    ("*.py", "d/a.py", True),       # no slash: matches at any depth
    ("/a.py", "d/a.py", False),     # leading slash anchors
    ("d/*.py", "d/e/a.py", False),  # * does not cross "/"
    ("d/**", "d/e/a.py", True),
    ("**/e", "d/e", True),
    ("d/**/a.py", "d/a.py", True),
    ("a?.py", "ab.py", True),
    ("a?.py", "a/.py", False),
    ("[!x].py", "a.py", True),
    ("[!x].py", "x.py", False),
    ("[]a].py", "].py", True),
    ("\\*.py", "a.py", False),
    ("\\*.py", "*.py", True),
])
def test_gitignore_pattern_translation(tmp_path: Path, pattern, path, expected) -> None:
    make(tmp_path, path)
    (tmp_path / ".gitignore").write_text(pattern + "\n")
    assert found(tmp_path) == ([] if expected else [path])
