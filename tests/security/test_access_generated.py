"""Every door, tried from outside: generated from the URL resolver, not written per view.

For every URL pattern of the project (the API included) and for GET and POST, the path parameters
are filled with real objects of office A (DKUKMTK-BLG) and four visitors knock:

* an anonymous visitor: sent to the login page, or 401/403/404/405;
* an official of another office of the same pemda (DINKES-BLG) and of another province
  (ADPIM-KALBAR): 403, 404 or 405;
* an official of office A without the right position (the Kepala Bidang UKM: not a planning
  official, not an administrator, not a signatory): may read the pages in ``SAME_OFFICE_READS``,
  every other request is 403, 404 or 405.

Whatever the answer, nothing may change: every statement that writes is caught, and each table it
touched is compared with its content before the request (sessions and login bookkeeping aside); no
mail may leave. The forms the office's own officials see on each page are then posted by the same
visitors, and by the other office to its own URL with office A's ids in the form.

A new URL is tried without anyone writing a test for it. A path parameter this file does not know
how to fill fails the test (``PARAMS``); so does a ``pk`` whose object is not named in ``PK_OF``.
The tables below are the whole of what is allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import product
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils.datastructures import MultiValueDict

from tests.html_forms import page_forms
from tests.officials import ADPIM, DINKES, DKUKMTK, SUPERUSER
from tests.security import access_world
from tests.security.access_world import WriteSpy, changed_tables, office_rows

# The world's fixtures, by name.
worlds = access_world.worlds
world = access_world.world
mirror = access_world.mirror
world_media = access_world.world_media
_world_files = access_world._world_files
_no_last_login_write = access_world._no_last_login_write

# --- what is allowed -----------------------------------------------------------------------------

# Pages anybody may use, logged in or not.
PUBLIC = {
    "login": "the login page",
    "logout": "logging out",
    "set_language": "the language switch",
    "documents:verify": "the QR code of a signed document opens it (token, not an id)",
    "accounts:activate": "Aktivasi akun: login and one-time code, throttled (docs/accounts.md)",
    "accounts:invitation": "an invitation link (token, not an id)",
    "accounts:reset": "Lupa kata sandi: the same answer for every login, throttled",
    "accounts:reset_sent": "the page after asking for a reset link",
    "accounts:reset_confirm": "a reset link (token, not an id)",
}

# Pages that name no object: each visitor sees only their own scope there. An anonymous visitor is
# refused; a logged-in one may open them, and nothing may change.
OWN_SCOPE = {
    "home",
    "cases:inbox",
    "cases:start",
    "performance:index",
    "procedures:registry",
    "api:agencies",
    "api:tasks",
    "api:schema",
    "cases:notifications_read",  # marks the visitor's own notifications read, nobody else's
    "accounts:verify",  # the second step of the visitor's own login
    "accounts:two_factor",  # the visitor's own second factor
}

# GET pages of office A that every official of office A may read (README "Permissions" of each app).
SAME_OFFICE_READS = {
    "organisation:agency",
    "organisation:structure_export",
    "procedures:agency_registry",
    "procedures:upload",  # any official of the office may propose an SOP (draft)
    "procedures:sop",
    "procedures:versions",
    "procedures:pdf",
    "procedures:yaml",
    "procedures:bpmn",
    "cases:case",
    "cases:task",
    "cases:file",
    "cases:attendance",
    "cases:sla",
    "performance:agency",
    "performance:plan",
    "performance:indicator",
    "performance:achievement",
    "performance:analysis",
    "performance:agreement",
    "performance:round",  # a unit head is sent on to their own unit's form
    "documents:agency",
    "documents:document",
    "documents:compare",
    "documents:download",
    "documents:letters",
    "documents:archive",
    "api:achievement",
    "api:letters",
    "api:task",
    "api:case",
}

# POSTs of office A that an official of office A without a special position may make, by rule.
SAME_OFFICE_WRITES = {
    "cases:start": "the head of any unit may start a run of the office's SOP (docs/cases.md)",
    "cases:annotate": "whoever sees a case may add a remark to its history (docs/cases.md)",
    "procedures:upload": "any official of the office may upload an SOP as a draft",
    "documents:letters": "any official of the office takes the next number of its register",
}

# Effective SOPs are read across the pemda family (the province and its regencies).
FAMILY_READS = {
    "procedures:agency_registry",
    "procedures:sop",
    "procedures:versions",
    "procedures:pdf",
    "procedures:yaml",
    "procedures:bpmn",
}

ANONYMOUS = "anonymous"
FAMILY = DINKES.kepala  # Plt. Kepala of another office of Kabupaten Balangan
FOREIGN = ADPIM.kepala  # Kepala Biro of an office of another province
SAME_OFFICE = DKUKMTK.kabid_ukm  # a unit head of office A, no planning, admin or signing right
VISITORS = (ANONYMOUS, FAMILY, FOREIGN, SAME_OFFICE)
# Office A's own officials render its pages; the forms they see are what the visitors then post.
OWNERS = (SUPERUSER, DKUKMTK.admin, DKUKMTK.kasubbag, DKUKMTK.sekretaris)

# Query parameters the SOP action pages read (`core.actions.work_url`): office A's task and case.
TASK_QUERY = "?task={task}&case={case}&period=2024&year=2024"


# --- how a path parameter gets its value ---------------------------------------------------------

PK_OF: dict[str, Callable] = {
    **{
        f"procedures:{name}": lambda w: [w.sop.pk]
        for name in ("sop", "versions", "pdf", "yaml", "bpmn", "approve")
    },
    **{
        f"performance:{name}": lambda w: [w.round.pk]
        for name in (
            "round",
            "round_remind",
            "round_reopen",
            "round_review",
            "round_mark",
            "unit_form",
            "form_download",
            "evidence",
        )
    },
    "performance:indicator": lambda w: [w.indicator.pk],
    "performance:indicator_edit": lambda w: [w.indicator.pk],
    "performance:indicator_retire": lambda w: [w.indicator.pk],
    "performance:plan": lambda w: [w.plan.pk],
    "performance:goal_edit": lambda w: [w.goal.pk],
    "performance:objective_edit": lambda w: [w.objective.pk],
    "documents:document": lambda w: [w.document.pk, w.letter_document.pk],
    "documents:compare": lambda w: [w.document.pk],
    "documents:post": lambda w: [w.document.pk, w.letter_document.pk],
    "documents:download": lambda w: [w.version.pk],
    "api:task": lambda w: [w.open_task.pk],
    "api:task-complete": lambda w: [w.open_task.pk],
    "api:case": lambda w: [w.case.pk],
}


def _pk(route: str, w) -> list:
    if route not in PK_OF:
        pytest.fail(f"{route}: its URL names <pk>; say in PK_OF which object of office A it is")
    return PK_OF[route](w)


def _template_kinds() -> list[str]:
    from kinerja.documents.services.templates import template_kinds

    return sorted(template_kinds())


def _action_names() -> list[str]:
    from kinerja.core import actions

    return actions.names()


PARAMS: dict[str, Callable] = {
    "code": lambda route, w: [w.agency.code],
    "region": lambda route, w: [w.agency.region.code],
    "agency_id": lambda route, w: [w.agency.pk],
    "pk": _pk,
    "task_id": lambda route, w: [w.open_task.pk, w.done_task.pk],
    "case_id": lambda route, w: [w.case.pk],
    "file_id": lambda route, w: [w.task_file.pk],
    "evidence_id": lambda route, w: [w.evidence.pk],
    "sop_id": lambda route, w: [w.sop.pk],
    "meeting_id": lambda route, w: [w.meeting.pk],
    "plan_pk": lambda route, w: [w.plan.pk],
    "objective_pk": lambda route, w: [w.objective.pk],
    "number": lambda route, w: [w.sop_version.version],
    "token": lambda route, w: [w.version.token],
    "uidb64": lambda route, w: ["MQ"],  # an account link's user id (base64): the link is refused
    "unit_code": lambda route, w: ["BID-KOP"],
    "year": lambda route, w: [2024],
    "version": lambda route, w: [1],
    "period": lambda route, w: ["2024", "2024-Q2"],
    "step": lambda route, w: ["generate_forms", "distribute_forms"],
    "what": lambda route, w: [
        "generate",
        "upload",
        "comment",
        "reviewed",
        "initial",
        "sign",
        "number",
        "texts",
        "cover",
    ],
    "fmt": lambda route, w: ["docx", "pdf", "signed", "final"],
    "kind": lambda route, w: _template_kinds(),
    "which": lambda route, w: ["default", "current"],
    "name": lambda route, w: _action_names(),
}


# Fields of the pages' forms that name an object, and office A's objects to put in them.
REFERENCES: dict[str, Callable] = {
    "task": lambda w: [t.pk for t in (w.open_task, w.action_task) if t is not None],
    "case": lambda w: [w.case.pk],
    "version": lambda w: [w.version.pk],
    "objective": lambda w: [w.objective.pk],
    "letter": lambda w: [w.letter.pk],
    "sop": lambda w: [w.sop_version.pk],
}


def generic_body(w) -> dict[str, str]:
    """A POST that names a world's objects the way the pages' forms do."""
    return {
        **{name: str(values(w)[0]) for name, values in REFERENCES.items()},
        "kind": "lkjip",
        "period": "2025",
        "decision": "accept",
        "reason": "uji akses",
        "text": "uji akses",
        "note": "uji akses",
        "classification": "000.8.6.3",
        "until": "2030-01-01",
    }


def mixed_bodies(world, mirror, read: set[str] | None) -> list[dict[str, str]]:
    """Office B's own body with one field (of those the view reads) naming office A's object."""
    own = generic_body(mirror)
    return [
        {**own, name: str(value)}
        for name, values in REFERENCES.items()
        if read is None or name in read
        for value in values(world)
    ]


# --- the routes, from the resolver ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]
    namespace: str = ""
    named: bool = True
    positional: int = 0  # unnamed groups of a regular-expression pattern

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern.pattern, RoutePattern):
        return tuple(pattern.pattern.converters)
    return tuple(pattern.pattern.regex.groupindex)


def walk(patterns, prefix: str = "", namespace: str = "", params=()) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                inner,
                params + _params(entry),
            )
        elif isinstance(entry, URLPattern):
            name = ":".join(n for n in (namespace, entry.name or "") if n)
            regex = entry.pattern.regex
            yield Route(
                name,
                prefix + str(entry.pattern),
                params + _params(entry),
                namespace,
                bool(entry.name),
                regex.groups - len(regex.groupindex),
            )


ALL_ROUTES = list(walk(get_resolver().url_patterns))
ADMIN_ROUTES = [r for r in ALL_ROUTES if r.namespace.split(":")[0] == "admin"]
ROUTES = [r for r in ALL_ROUTES if r.namespace.split(":")[0] != "admin"]


def urls_of(route: Route, w) -> list[str]:
    missing = [p for p in route.params if p not in PARAMS]
    if missing:
        pytest.fail(f"{route.name} ({route.pattern}): no way to fill {missing}; add it to PARAMS")
    if not route.named or route.positional:
        pytest.fail(f"{route.pattern}: every URL needs a name and named parameters")
    choices = [PARAMS[p](route.name, w) for p in route.params]
    return [
        reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
        for values in product(*choices)
    ]


def fill(route: Route, values: dict[str, str]) -> str:
    """The URL of an admin route, named or not, its unnamed groups filled with "1"."""
    if route.named and route.positional:
        return reverse(route.name, args=["1"] * route.positional)
    if route.named:
        return reverse(route.name, kwargs=values)
    path = route.pattern
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
    return "/" + path.lstrip("^").rstrip("$")


# --- asking, and judging the answer --------------------------------------------------------------


def client_of(username: str, _clients: dict[str, Client] | None = None) -> Client:
    """A client logged in as ``username``; with ``_clients``, made once and then reused."""
    from django.contrib.auth import get_user_model

    if _clients is not None and username in _clients:
        return _clients[username]
    client = Client()
    if username != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=username))
    if _clients is not None:
        _clients[username] = client
    return client


@contextmanager
def reading(keys: set[str] | None):
    """Records the names of the request parameters the view reads (GET, POST, FILES)."""
    if keys is None:
        yield
        return
    with ExitStack() as stack:
        # not __contains__: parsing a request body asks it of every key (setlistdefault)
        for name in ("__getitem__", "get", "getlist"):
            original = getattr(MultiValueDict, name)

            def recorded(self, key, *args, _original=original, **kwargs):
                keys.add(key)
                return _original(self, key, *args, **kwargs)

            stack.enter_context(patch.object(MultiValueDict, name, recorded))
        yield


def ask(
    client: Client,
    method: str,
    url: str,
    data,
    *,
    api: bool,
    baseline,
    guard=None,
    read: set[str] | None = None,
) -> tuple:
    """The answer and what the request changed (tables, mail; with ``guard``, a world, only
    what changed among that office's rows); the change is then undone so the next request starts
    from the same state."""
    spy = WriteSpy()
    outbox = len(mail.outbox)
    with transaction.atomic():
        with connection.execute_wrapper(spy):
            try:
                with TestCase.captureOnCommitCallbacks(execute=True), reading(read):
                    if method == "GET":
                        response = client.get(url, data or {})
                    elif api:
                        response = client.post(
                            url, json.dumps(data or {}), content_type="application/json"
                        )
                    else:
                        response = client.post(url, data or {})
                    if response.streaming:  # a download: read it, so its file is closed
                        b"".join(response.streaming_content)
            except Exception as exc:  # a crash is no refusal: report it with the rest
                response = exc
            if guard is None:
                changed = changed_tables(spy.tables, baseline)
            elif spy.tables:
                now = office_rows(guard.agency, spy.tables)
                changed = sorted(
                    f"{guard.agency.code} rows of {t}" for t in now if now[t] != guard.own_rows[t]
                )
            else:
                changed = []
        if len(mail.outbox) != outbox:
            changed.append("mail")
            del mail.outbox[outbox:]
        transaction.set_rollback(True)
    return response, changed


def is_refusal(response, visitor: str) -> bool:
    if isinstance(response, Exception):
        return False
    if response.status_code in (403, 404, 405):
        return True
    if visitor == ANONYMOUS:
        if response.status_code == 401:
            return True
        if response.status_code == 302:
            return urlsplit(response["Location"]).path in (reverse("login"), "/admin/login/")
    return False


def allowed(route: str, method: str, visitor: str) -> tuple[bool, bool]:
    """(may this visitor be answered, may the request change something)."""
    if route in PUBLIC:
        return True, route in ("logout", "set_language")
    if visitor == ANONYMOUS:
        return False, False
    if route in OWN_SCOPE:
        return True, visitor == SAME_OFFICE and method == "POST" and route in SAME_OFFICE_WRITES
    if visitor == SAME_OFFICE:
        if method == "GET" and route in SAME_OFFICE_READS:
            return True, False
        if method == "POST" and route in SAME_OFFICE_WRITES:
            return True, True
    if visitor == FAMILY and method == "GET" and route in FAMILY_READS:
        return True, False
    return False, False


def describe(response) -> str:
    if isinstance(response, Exception):
        return f"raised {type(response).__name__}: {response}"
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def judge(route: str, method: str, visitor: str, url: str, response, changed, problems) -> None:
    may_answer, may_change = allowed(route, method, visitor)
    if not may_answer and not is_refusal(response, visitor):
        problems.append(f"{method} {url} as {visitor}: {describe(response)}, not refused")
    if changed and not may_change:
        problems.append(f"{method} {url} as {visitor}: changed {', '.join(changed)}")
    if isinstance(response, Exception) and may_answer:
        problems.append(f"{method} {url} as {visitor}: {describe(response)}")


def mirrored(url: str, world, mirror) -> str | None:
    """The same URL in office B: each path parameter filled from B's world as it was from A's."""
    path, _sep, query = url.partition("?")
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    route = next((r for r in ROUTES if r.name == name), None)
    if route is None or not route.params:
        return None
    pairs = dict(zip(urls_of(route, world), urls_of(route, mirror), strict=True))
    if path not in pairs:
        return None
    return pairs[path] + (f"?{query}" if query else "")


def route_name_of(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return match.view_name


# --- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _each_pdf_laid_out_once():
    """Every request of the walk is rolled back, so a page that generates a document (office B
    on its own URL, office A's owners) lays out the same HTML again for each form and body: the
    PDF of a given HTML is made once per module. The same HTML gives the same PDF, so every
    answer, row and mail the walk checks is what it was."""
    from kinerja.documents import contract

    real = contract.pdf_from_html
    made: dict[str, bytes] = {}

    def once(html: str) -> bytes:
        if html not in made:
            made[html] = real(html)
        return made[html]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contract, "pdf_from_html", once)
        yield


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_url_refuses_visitors_and_changes_nothing(route, method, world, mirror, db):
    problems: list[str] = []
    body = generic_body(world) if method == "POST" else None
    query = TASK_QUERY.format(task=world.open_task.pk, case=world.case.pk)
    clients = {v: client_of(v) for v in VISITORS}
    for url in urls_of(route, world):
        variants = [url, url + query] if method == "GET" else [url]
        for target, visitor in product(variants, VISITORS):
            response, changed = ask(
                clients[visitor], method, target, body, api=route.is_api, baseline=world.baseline
            )
            judge(route.name, method, visitor, target, response, changed, problems)
        own = mirrored(url, world, mirror)
        if method == "POST" and own:
            # office B's official, on office B's own URL, naming one object of office A in a
            # field the view reads: whatever B may do there, no row of office A may change
            read: set[str] = set()
            ask(
                clients[FAMILY],
                "POST",
                own,
                generic_body(mirror),
                api=route.is_api,
                baseline=None,
                guard=world,
                read=read,
            )
            for mixed in mixed_bodies(world, mirror, None if route.is_api else read):
                response, changed = ask(
                    clients[FAMILY],
                    "POST",
                    own,
                    mixed,
                    api=route.is_api,
                    baseline=None,
                    guard=world,
                )
                if changed:
                    problems.append(
                        f"POST {own} as {FAMILY} with {mixed}: changed {', '.join(changed)}"
                    )
    assert not problems, "\n".join(problems)


def forms_of(url: str, world, problems: list[str], clients: dict[str, Client]) -> list[dict]:
    """The forms office A's own officials see on the page (their GET changes nothing either)."""
    found: dict[tuple, dict] = {}
    for owner in OWNERS:
        response, changed = ask(
            client_of(owner, clients), "GET", url, None, api=False, baseline=world.baseline
        )
        if changed:
            problems.append(f"GET {url} as {owner}: changed {', '.join(changed)}")
        if isinstance(response, Exception) or response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            break  # a file, not a page: it has no forms for anyone
        for form in page_forms(response.content.decode(), url):
            presses = form["buttons"] or [None]
            for press in presses:
                # what a person would type: something in every empty box
                fields = {
                    name: value or ("uji akses" if name in form["textareas"] else "1")
                    for name, value in form["fields"].items()
                }
                if press:
                    fields[press[0]] = press[1]
                key = (form["action"], form["method"], tuple(sorted(fields.items())))
                found.setdefault(key, {**form, "fields": fields})
    return list(found.values())


def post_form(client: Client, form: dict, url: str, world, guard=None) -> tuple:
    """Send a harvested form as a browser would (a small file in each file field)."""
    data = dict(form["fields"])
    for name in form["files"]:
        data[name] = SimpleUploadedFile("uji.txt", b"uji akses")
    method = "POST" if form["method"] == "POST" else "GET"
    target = route_name_of(url)
    api = target.startswith("api:")
    return ask(client, method, url, data, api=api, baseline=world.baseline, guard=guard)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=lambda r: r.name)
def test_every_form_refuses_visitors_and_changes_nothing(route, world, mirror, db):
    problems: list[str] = []
    clients: dict[str, Client] = {}
    query = TASK_QUERY.format(task=world.open_task.pk, case=world.case.pk)
    forms: dict[tuple, dict] = {}
    for url in urls_of(route, world):
        for page in (url, url + query):
            for form in forms_of(page, world, problems, clients):
                key = (form["action"], form["method"], tuple(sorted(form["fields"].items())))
                forms.setdefault(key, form)
    for form in forms.values():
        target = route_name_of(form["action"])
        if not target or target in PUBLIC:
            continue
        method = "POST" if form["method"] == "POST" else "GET"
        for visitor in VISITORS:
            response, changed = post_form(client_of(visitor, clients), form, form["action"], world)
            judge(target, method, visitor, form["action"], response, changed, problems)
        own = mirrored(form["action"], world, mirror)
        if own and method == "POST":
            # office B's official posts office A's form to office B's own URL: whatever B may do
            # there, no row of office A may change
            response, changed = post_form(client_of(FAMILY, clients), form, own, world, guard=world)
            if changed:
                problems.append(
                    f"POST {own} as {FAMILY} with {form['fields']}: changed {', '.join(changed)}"
                )
    assert not problems, "\n".join(problems)


ADMIN_FILL = {
    "app_label": "cases",
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "url": "cases/",
    "pk": "1",  # django-otp's admin: a device's QR code
}


def test_django_admin_refuses_everyone_but_staff(world, db):
    """The admin is excluded from the walk above because it is staff-only: checked here."""
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_staff=True)
    assert set(staff.values_list("username", flat=True)) == {SUPERUSER}, (
        "only the superuser is staff"
    )
    problems: list[str] = []
    clients: dict[str, Client] = {}
    visitors = (ANONYMOUS, FAMILY, SAME_OFFICE, DKUKMTK.admin)  # the office's admin is no staff
    for route in ADMIN_ROUTES:
        if route.name in ("admin:login", "admin:logout", "admin:jsi18n") or (
            not route.named and "url" in route.params
        ):
            # logging in and out and the translations of its scripts are public, and the
            # catch-all sends everyone to the login
            continue
        unknown = [p for p in route.params if p not in ADMIN_FILL]
        assert not unknown, f"{route.name}: no value for {unknown}"
        url = fill(route, {p: ADMIN_FILL[p] for p in route.params})
        for method, visitor in product(("GET", "POST"), visitors):
            response, changed = ask(
                client_of(visitor, clients), method, url, {}, api=False, baseline=world.baseline
            )
            refused = not isinstance(response, Exception) and (
                response.status_code in (403, 404, 405)
                or (
                    response.status_code == 302
                    and urlsplit(response["Location"]).path == reverse("admin:login")
                )
            )
            if not refused:
                problems.append(f"{method} {url} as {visitor}: {describe(response)}")
            if changed:
                problems.append(f"{method} {url} as {visitor}: changed {', '.join(changed)}")
    assert not problems, "\n".join(problems)


def test_the_tables_name_real_routes():
    """An allow-list entry for a URL that no longer exists would hide nothing, but would lie."""
    names = {r.name for r in ROUTES}
    listed = (
        set(PUBLIC)
        | OWN_SCOPE
        | SAME_OFFICE_READS
        | set(SAME_OFFICE_WRITES)
        | FAMILY_READS
        | set(PK_OF)
    )
    assert listed <= names, sorted(listed - names)
    assert ADMIN_ROUTES, "the admin is mounted and walked"


def test_an_unknown_parameter_fails_the_walk(world):
    """A URL whose parameter this file cannot fill is a failure, never a skip."""
    route = Route("performance:agency", "kinerja/<str:nobody_knows>/", ("nobody_knows",))
    with pytest.raises(pytest.fail.Exception, match="nobody_knows"):
        urls_of(route, world)
    route = Route("performance:brand_new", "kinerja/x/<int:pk>/", ("pk",))
    with pytest.raises(pytest.fail.Exception, match="PK_OF"):
        urls_of(route, world)
