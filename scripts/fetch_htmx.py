"""Install htmx into static/vendor/ from the npm registry, pinned and integrity-checked.

The version and the registry's sha512 integrity are pinned below; the tarball is
fetched with `npm pack` (the registry client configured on the machine), its hash is
compared with the pin, and only dist/htmx.min.js is extracted. Nothing is copied by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "htmx.org"
VERSION = "2.0.11"
INTEGRITY = "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
MEMBER = "package/dist/htmx.min.js"
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "htmx.min.js"
STAMP = TARGET.with_suffix(".version")


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_tarball(workdir: Path) -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch htmx from the npm registry (apt-get install npm)")
    subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", str(workdir)],
                   check=True, cwd=workdir, stdout=subprocess.DEVNULL)
    (tarball,) = workdir.glob("*.tgz")
    return tarball.read_bytes()


def main() -> int:
    if TARGET.is_file() and STAMP.is_file() and STAMP.read_text().strip() == INTEGRITY:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = fetch_tarball(Path(tmp))
    actual = integrity_of(data)
    if actual != INTEGRITY:
        print(f"htmx tarball integrity mismatch: expected {INTEGRITY}, got {actual}", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        script = archive.extractfile(MEMBER)
        if script is None:
            print(f"{MEMBER} missing from the package", file=sys.stderr)
            return 1
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_bytes(script.read())
    STAMP.write_text(INTEGRITY + "\n")
    print(f"htmx {VERSION} installed to {TARGET.relative_to(TARGET.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
