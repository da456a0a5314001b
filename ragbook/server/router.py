"""The task pane's file routes, beside xlwings Server's own: jobs, uploads and downloads.

    POST   /ragbook/jobs                                  a new job folder for the signed-in user
    GET    /ragbook/jobs/{job}                            what it holds: uploads and downloads
    PUT    /ragbook/jobs/{job}/uploads/{button}/{name}    one file, as the request's body
    GET    /ragbook/jobs/{job}/downloads/{name}           a file a button made
    DELETE /ragbook/jobs/{job}                            remove the job now

Every route requires the same sign-in as the buttons (xlwings Server's ``User`` dependency: with Entra ID on,
a request without a valid token is refused with 401), and a job is only ever found for the user who made it.
An upload arrives as the body, not a form, so it is written straight to the job folder and cut off (413) the
moment it passes the limit for its kind; then it is read by ragbook's own reader for that kind (``uploads``),
off the event loop, and kept only if the reader accepts it.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from xlwings_server import dependencies as dep
from xlwings_server.config import settings

from .jobs import Job, Redactor, remove_tree, safe_name
from .options import make_private_dir
from .runtime import in_pool, jobs, owner_of, refusal, ribbon, running
from .uploads import LIMITS, MAX_JOB_BYTES, check, job_full, refuse_count, too_large

router = APIRouter(prefix=f"{settings.app_path}/ragbook")


def _job(job_id: str, user) -> Job:
    try:
        return jobs().get(job_id, owner_of(user))
    except Exception as exc:  # noqa: BLE001 - every failure is one sentence
        raise refusal(exc) from None


def _described(job: Job) -> dict:
    buttons = [b.key for b in ribbon().buttons]
    return {"job": job.id, "keep_minutes": running().keep_minutes,
            "uploads": {key: job.upload_names(key) for key in buttons if job.upload_names(key)},
            "downloads": job.download_names()}


@router.post("/jobs", status_code=201)
async def create_job(current_user: dep.User) -> dict:
    try:
        job = await in_pool(jobs().create, owner_of(current_user))
    except Exception as exc:  # noqa: BLE001
        raise refusal(exc) from None
    return _described(job)


@router.get("/jobs/{job_id}")
async def describe_job(job_id: str, current_user: dep.User) -> dict:
    return _described(_job(job_id, current_user))


@router.delete("/jobs/{job_id}", status_code=204)
async def remove_job(job_id: str, current_user: dep.User) -> None:
    job = _job(job_id, current_user)
    await in_pool(jobs().remove, job)


@router.put("/jobs/{job_id}/uploads/{button}/{name}", status_code=201)
async def upload(job_id: str, button: str, name: str, request: Request, current_user: dep.User) -> dict:
    job = _job(job_id, current_user)
    limit = LIMITS.get(button)
    if limit is None:
        raise HTTPException(status_code=404, detail=f"{button!r} is not a button that takes files.")
    name = safe_name(name)
    incoming = make_private_dir(job.incoming) / name
    hiding = Redactor({job.incoming: "the upload"}, hide=(running().state_dir,))
    try:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.largest:
            raise too_large(name, limit)
        await _receive(request, incoming, name, limit, job)
        await in_pool(_keep, button, incoming, job)
    except Exception as exc:  # noqa: BLE001 - a bad upload is a sentence and a client error
        incoming.unlink(missing_ok=True)
        raise refusal(exc, hiding) from None
    return _described(job)


async def _receive(request: Request, target: Path, name: str, limit, job: Job) -> None:
    room = MAX_JOB_BYTES - _size_of(job.folder)
    written = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        async for chunk in request.stream():
            written += len(chunk)
            if written > limit.largest:
                raise too_large(name, limit)
            if written > room:
                raise job_full(name)
            handle.write(chunk)


def _keep(button: str, incoming: Path, job: Job) -> None:
    """Read the upload as its button will; keep it only if it is accepted. A plan replaces the plan before; a
    return replaces one of the same name (the same file chosen again)."""
    check(button, incoming)
    folder = job.uploads(button)
    if LIMITS[button].reader == "plan":
        remove_tree(folder)
    make_private_dir(folder)
    if not (folder / incoming.name).exists():
        refuse_count(button, len(job.upload_names(button)) + 1)
    os.replace(incoming, folder / incoming.name)


def _size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@router.get("/jobs/{job_id}/downloads/{name}")
async def download(job_id: str, name: str, current_user: dep.User) -> FileResponse:
    job = _job(job_id, current_user)
    if name not in job.download_names():
        raise HTTPException(status_code=404, detail=f"{safe_name(name)}: is not among this job's files; press the "
                                                    f"button again to make it.")
    media = "application/zip" if name.lower().endswith(".zip") else (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return FileResponse(job.downloads / name, media_type=media, filename=name)

