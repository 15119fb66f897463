"""Copies a built crossmt package into this interpreter's site-packages, with a .dist-info so
that pip lists and uninstalls it. Run by python/install.sh; usage:
    python3 python/install.py BUILD_DIR/python/crossmt --required|--optional
"""
import base64
import hashlib
import os
import pathlib
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile

NAME, VERSION = "crossmt", "0.1.0"


def site_directory() -> pathlib.Path:
    """The interpreter's own site-packages when writable (root, a virtualenv), else the user's."""
    platlib = pathlib.Path(sysconfig.get_path("platlib"))
    try:
        platlib.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    if os.access(platlib, os.W_OK):
        return platlib
    user = pathlib.Path(site.getusersitepackages())
    user.mkdir(parents=True, exist_ok=True)
    return user


def record_line(root: pathlib.Path, path: pathlib.Path) -> str:
    data = path.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path.relative_to(root).as_posix()},sha256={digest},{len(data)}"


def main() -> int:
    source, mode = pathlib.Path(sys.argv[1]), sys.argv[2]
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    modules = sorted(source.glob("_crossmt*.so"))
    if not any(module.name.endswith(suffix) for module in modules):
        message = f"{sys.executable}: the module in {source} ({', '.join(m.name for m in modules)}) is not for this " \
                  f"interpreter (needs *{suffix})"
        if mode == "--required":
            print(f"error: {message}", file=sys.stderr)
            return 2
        print(f"crossmt: skipped {message}")
        return 0

    target = site_directory()
    # Built next to its final place, then swapped in: an interrupted install leaves the old one.
    staging = pathlib.Path(tempfile.mkdtemp(prefix=".crossmt-install-", dir=target))
    try:
        package = staging / NAME
        shutil.copytree(source, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        dist_info = staging / f"{NAME}-{VERSION}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
                                            "Summary: crossmt neural machine translation (CTranslate2-style API)\n")
        (dist_info / "INSTALLER").write_text("crossmt python/install.sh\n")
        (dist_info / "top_level.txt").write_text(f"{NAME}\n")
        files = [path for path in sorted(staging.rglob("*")) if path.is_file()]
        record = [record_line(staging, path) for path in files] + [f"{dist_info.name}/RECORD,,"]
        (dist_info / "RECORD").write_text("\n".join(record) + "\n")

        for old in [target / NAME, *target.glob(f"{NAME}-*.dist-info")]:
            if old.is_symlink() or old.is_file():
                old.unlink()
            elif old.exists():
                shutil.rmtree(old)
        package.rename(target / NAME)
        dist_info.rename(target / dist_info.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    # Checked as a user runs it: another directory, no PYTHONPATH.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    check = subprocess.run([sys.executable, "-c", "import crossmt; print(crossmt.__file__)"], cwd="/",
                           env=environment, capture_output=True, text=True)
    imported = check.stdout.strip()
    if check.returncode != 0 or not imported.startswith(str(target / NAME)):
        print(f"error: {sys.executable} cannot import the installed crossmt from {target}: "
              f"{(check.stderr.strip().splitlines() or [imported])[-1]}", file=sys.stderr)
        return 2
    print(f"crossmt: installed for {sys.executable} in {target / NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
