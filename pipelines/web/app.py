"""`mille-jours serve`: the contributor page. Drop the list as published, see it read, settle the
reading and the provenance with form controls, submit it to a git branch for review.

Server-rendered (Starlette, Jinja2); every form is a plain POST that works without JavaScript, and
htmx only swaps the reading in place. The reading is `mille-jours validate`'s, handed over by the
layer that runs it (`Engine`): no rule of the page is written twice.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipelines.common.geography import cog
from pipelines.common.problems import SourceError
from pipelines.contribute.report import exit_code, verdict
from pipelines.publish import wording
from pipelines.stage.staged import StagedSource
from pipelines.web import contributions as store_
from pipelines.web import manifest_form
from pipelines.web.contributions import Contribution, ContributionError, Drafted
from pipelines.web.reading import (
    FIGURES_FR,
    HEADERS_FR,
    Reading,
    figure_text,
    place_doubts,
    published_rows,
    summarize,
)
from pipelines.web.submit import branch_name, contribution_branches, extract_manifests, submit

HERE = Path(__file__).parent
CSRF_COOKIE = "mj_csrf"
YEARS = list(range(2020, 2036))


@dataclass(frozen=True)
class Engine:
    """How the page reads: `read_sources` as `mille-jours validate`, and `draft(path, region, year)`
    as `mille-jours new-source`, both in the sandboxed workers of the layer that runs them."""

    read_sources: Callable[[Sequence[Path], Path], Iterable[StagedSource]]
    draft: Callable[[Path, str, int], Drafted]


def _identity(request: Request, form: Any) -> tuple[str, str]:
    """Who signs the contribution: the identity the agency's authentication proxy gives in the
    headers named by MILLE_JOURS_USER_HEADER and MILLE_JOURS_EMAIL_HEADER (trusted only when set),
    else what the contributor typed."""
    name_header = os.environ.get("MILLE_JOURS_USER_HEADER")
    email_header = os.environ.get("MILLE_JOURS_EMAIL_HEADER")
    name = request.headers.get(name_header, "") if name_header else ""
    email = request.headers.get(email_header, "") if email_header else ""
    return (name or str(form.get("auteur", ""))), (email or str(form.get("courriel", "")))


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["figure"] = figure_text
    env.globals.update(worded=wording.worded, count=wording.count)
    env.globals.update(
        fields=manifest_form.MAPPED_FIELDS,
        headers_fr=HEADERS_FR,
        figures_fr=FIGURES_FR,
        read_text=manifest_form.READ_TEXT,
        read_choices=manifest_form.READ_CHOICES,
    )
    return env


class ContributorPage:
    """The page's routes for the project in `root`; contributions are committed to the git
    repository `repo` (the project itself by default)."""

    def __init__(self, root: Path, engine: Engine, repo: Path | None = None) -> None:
        self.templates = _templates()
        self.store = store_.store_root(root)
        self.store.mkdir(parents=True, exist_ok=True)
        self.repo = repo or root
        self.engine = engine

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        html = self.templates.get_template(name).render(csrf=token, **context)
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'"
        )
        return response

    async def form_of(self, request: Request) -> Any:
        form = await request.form(max_files=1, max_fields=200)
        sent, kept = form.get("csrf"), request.cookies.get(CSRF_COOKIE)
        if not (isinstance(sent, str) and kept and secrets.compare_digest(sent, kept)):
            raise ContributionError(
                "Formulaire expiré ou envoyé d'ailleurs. À faire : recharger la page et recommencer."
            )
        return form

    def deposit_page(self, request: Request, error: str | None = None, status: int = 200):
        regions = sorted(cog().regions.items(), key=lambda kv: kv[1])
        return self.page(request, "deposer.html", status, regions=regions, years=YEARS, error=error)

    async def home(self, request: Request) -> Response:
        return self.deposit_page(request)

    async def deposit(self, request: Request) -> Response:
        try:
            form = await self.form_of(request)
            upload = form.get("fichier")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise ContributionError("Aucun fichier reçu. À faire : choisir le fichier publié.")
            data = await upload.read(store_.upload_mb() * 1024 * 1024 + 1)
            year = str(form.get("annee", ""))
            c = store_.create(
                self.store, upload.filename, data, str(form.get("region", "")), int(year or 0)
            )
            self._draft(c)
        except ContributionError as exc:
            return self.deposit_page(request, str(exc), 400)
        return RedirectResponse(f"/contribution/{c.id}", status_code=303)

    def _draft(self, c: Contribution) -> None:
        try:
            d = self.engine.draft(store_.data_path(self.store, c), c.region, c.year)
        except SourceError as exc:
            store_.remove(self.store, c)
            raise store_.as_error(exc) from exc
        except Exception as exc:  # a file no reader expected: said, never a server error
            store_.remove(self.store, c)
            raise ContributionError(
                f"Le fichier n'a pas pu être lu ({type(exc).__name__}). À faire : vérifier qu'il "
                "s'ouvre dans le logiciel qui l'a produit et le réenregistrer ; si cela revient, "
                "l'envoyer aux mainteneurs."
            ) from exc
        if d.copy is not None:
            store_.keep_copy(self.store, c, *d.copy)
        store_.manifest_path(self.store, c).write_text(d.text, encoding="utf-8")
        c.headers, c.notes = d.headers, d.notes
        c.file_total = list(d.file_total) if d.file_total else None
        store_.save(self.store, c)

    def trial(self, c: Contribution) -> tuple[StagedSource, Reading, list[str]]:
        """The contribution read as `validate` reads it, what the page shows of it, and what the
        file says against the region and year chosen (until the contributor confirms them)."""
        manifest = store_.manifest_path(self.store, c)
        trial = next(iter(self.engine.read_sources([manifest], store_.raw_root(self.store, c))))
        reading = summarize(trial)
        place = [] if c.place_confirmed else place_doubts(trial, c.region, c.year, c.upload)
        reading.may_submit = reading.may_submit and not place
        return trial, reading, place

    def contribution_page(self, request: Request, c: Contribution, **extra: Any) -> HTMLResponse:
        _, reading, place = self.trial(c)
        data = manifest_form.read(store_.manifest_path(self.store, c))
        return self.page(
            request,
            "contribution.html",
            400 if extra.get("errors") or extra.get("error") else 200,
            c=c,
            reading=reading,
            place=place,
            form=manifest_form.values(data),
            licences=manifest_form.LICENCES,
            kinds=manifest_form.KINDS,
            qualifiers=manifest_form.QUALIFIERS,
            funders=manifest_form.FUNDERS,
            region_name=cog().regions[c.region],
            branch=branch_name(c),
            **extra,
        )

    async def show(self, request: Request) -> Response:
        try:
            c = store_.load(self.store, request.path_params["id"])
        except ContributionError as exc:
            return self.deposit_page(request, str(exc), 404)
        return self.contribution_page(request, c)

    async def change(self, request: Request) -> Response:
        """The mapping, the provenance or the author: applied, then the page read again."""
        try:
            c = store_.load(self.store, request.path_params["id"])
            form = await self.form_of(request)
        except ContributionError as exc:
            return self.deposit_page(request, str(exc), 400)
        what = request.path_params["what"]
        if what == "lieu":
            c.place_confirmed = form.get("lieu_confirme") == "on"
            store_.save(self.store, c)
            return RedirectResponse(f"/contribution/{c.id}#lecture", status_code=303)
        if what not in ("lecture", "provenance"):
            return self.deposit_page(request, "Adresse inconnue.", 404)
        manifest = store_.manifest_path(self.store, c)
        data = manifest_form.read(manifest)
        errors: dict[str, str] = {}
        if what == "lecture":
            manifest_form.apply_mapping(data, form, c.headers)
            manifest_form.apply_confirmed(data, form)
        else:
            errors = manifest_form.apply_provenance(data, form)
        manifest_form.write(manifest, data)
        if errors:
            return self.contribution_page(request, c, errors=errors)
        if request.headers.get("HX-Request"):
            return self.contribution_page(request, c)
        return RedirectResponse(f"/contribution/{c.id}#{what}", status_code=303)

    async def send(self, request: Request) -> Response:
        try:
            c = store_.load(self.store, request.path_params["id"])
            form = await self.form_of(request)
            trial, reading, _ = self.trial(c)
            if not reading.may_submit:
                raise ContributionError(
                    "La lecture n'est pas encore acceptée (voir plus haut ce qui reste à régler) : "
                    "rien n'a été enregistré."
                )
            files = [store_.data_path(self.store, c), store_.manifest_path(self.store, c)]
            c.branch = submit(self.repo, c, files, *_identity(request, form))
            store_.save(self.store, c)
        except ContributionError as exc:
            if "c" not in locals():
                return self.deposit_page(request, str(exc), 400)
            return self.contribution_page(request, c, error=str(exc))
        return self.page(
            request,
            "soumise.html",
            c=c,
            reading=reading,
            trial=trial,
            coverage=published_rows(trial),
        )

    async def maintainers(self, request: Request) -> Response:
        """Each contribution branch and what `mille-jours validate` says of its lists."""
        rows = []
        for branch in contribution_branches(self.repo):
            with tempfile.TemporaryDirectory(prefix="relecture-") as tmp:
                manifests = extract_manifests(self.repo, branch, Path(tmp))
                readings = list(self.engine.read_sources(manifests, Path(tmp) / "raw"))
                verdicts = [f"{s.source_id} : {verdict(s)}" for s in readings]
                rows.append((branch, exit_code(readings) if readings else None, verdicts))
        return self.page(request, "contributions.html", rows=rows)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/", self.home),
                Route("/deposer", self.deposit, methods=["POST"]),
                Route("/contribution/{id}", self.show),
                Route("/contribution/{id}/soumettre", self.send, methods=["POST"]),
                Route("/contribution/{id}/{what:str}", self.change, methods=["POST"]),
                Route("/contributions", self.maintainers),
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
            ]
        )


def create_app(root: Path, engine: Engine, repo: Path | None = None) -> Starlette:
    """The contributor page as an application."""
    return ContributorPage(root, engine, repo).app()
