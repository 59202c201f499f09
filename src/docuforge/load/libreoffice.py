"""LibreOffice (`soffice`), where installed, converts legacy and OpenDocument files to modern ones.

Each conversion gets a private user profile: two conversions sharing the default profile
block each other, and a crashed one can leave it locked for every later run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docuforge.errors import DocumentError, ErrorCode

TIMEOUT = 120.0  # seconds one conversion may take
# Export filters named outright: by extension alone LibreOffice sometimes finds none.
_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "pptx": "pptx:Impress MS PowerPoint 2007 XML",
    "doc": "doc:MS Word 97",
    "xls": "xls:MS Excel 97",
    "ppt": "ppt:MS PowerPoint 97",
}


def binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return binary() is not None


def convert(source: Path, target_format: str, workdir: Path, timeout: float = TIMEOUT) -> Path:
    """`source` converted to `target_format` (docx, pptx, xlsx, pdf) inside `workdir`."""
    program = binary()
    if program is None:
        raise DocumentError(
            "LibreOffice is not installed", code=ErrorCode.DOCUMENT_UNSUPPORTED, status_code=415
        )
    out = workdir / "converted"
    out.mkdir(exist_ok=True)
    profile = (workdir / "profile").resolve().as_uri()
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [
                program,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                _FILTERS.get(target_format, target_format),
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DocumentError(
            f"LibreOffice did not convert the file in {timeout:.0f} s", code=ErrorCode.TIMEOUT
        ) from None
    result = out / f"{source.stem}.{target_format}"
    if done.returncode != 0 or not result.is_file():
        message = done.stderr.decode(errors="replace").strip()[-300:] or "no output"
        raise DocumentError(
            f"LibreOffice could not convert the file: {message}", code=ErrorCode.DOCUMENT_CORRUPT
        )
    return result
