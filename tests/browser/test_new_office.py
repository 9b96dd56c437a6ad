"""A new office starts on its own (issue 12, docs/kantor-baru.md), in a real browser.

From an empty database: the server's operator makes the region, its Setda and the region's SAKIP
administrator (the only shell moment, five commands). Everything after is done on the pages: the
regional administrator activates their account, creates the Dinas, names its administrator and
prints their activation code, imports the Setda's structure; the office administrator imports the
Dinas's structure (with its Tim sheet), prints everyone's codes and uploads an SOP written as
offices print it (a Bagian Organisasi lane of the Setda, a step for each Bidang, a step the Tim
does together with the Bidang, durations as "1 (satu) hari"); the Kepala Dinas approves it, the
Sekretaris starts it, and each official, the Setda's Kabag Organisasi included, does their step
from their own inbox until the case is finished.

The test body reads the database only to know whom to log in as next and to check what the pages
did; every action goes through the real pages. Screenshots go to test-artifacts/kantor-baru/ (the
walkthrough's pictures are taken from there).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from kinerja.cases.models import Case, Task
from kinerja.organisation.models import Agency, Employee, Region
from tests.browser.conftest import ARTIFACTS, open_page

pytestmark = pytest.mark.browser

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "sop-penyusunan-lakip-skpd.yaml"
)
PASSWORD = "Sawah-Hijau-2026"
REGION, DINAS, SETDA = "63.07", "DISTAN-HST", "SETDA-HST"

# The Dinas's officials: (NIP, full name, login, position code).
OFFICIALS = [
    ("197001012000031001", "Ir. Bambang Sutrisno, M.P.", "distan.kadis", "KADIS"),
    ("197502022001032002", "Hj. Nor Aina, S.E.", "distan.sekretaris", "SEKRETARIS"),
    ("197803032002031003", "Rahmadi, S.P.", "distan.kabid.psp", "KABID-PSP"),
    ("198004042003032004", "Nurul Hidayah, S.P.", "distan.kabid.tph", "KABID-TPH"),
    ("198205052005031005", "drh. Fajar Ramadhan", "distan.kabid.pkh", "KABID-PKH"),
    ("199006062015032006", "Dewi Lestari, S.Kom.", "distan.staf", "STAF-PRG"),
]
KABAG_ORG_NIP = "197505052000031004"


def _workbook(sheets: dict[str, list[list]]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return book


def dinas_structure(path: Path) -> Path:
    """The Dinas's structure as its administrator fills the import sheet (docs/organisation-import.md)."""
    units = [
        ["Kode", "Nama", "Jenis", "Kode Induk", "Urutan"],
        ["SEKRETARIAT", "Sekretariat", "sekretariat", "", 1],
        ["BID-PSP", "Bidang Prasarana dan Sarana Pertanian", "bidang", "", 2],
        ["BID-TPH", "Bidang Tanaman Pangan dan Hortikultura", "bidang", "", 3],
        ["BID-PKH", "Bidang Peternakan dan Kesehatan Hewan", "bidang", "", 4],
    ]
    head = [
        "Kode",
        "Nama",
        "Kode Unit",
        "Jenis",
        "Kepala Unit",
        "Kode Atasan",
        "Dipegang Bersama",
        "Urutan",
    ]
    positions = [
        head,
        ["KADIS", "Kepala Dinas Pertanian", "", "struktural", "ya", "", "tidak", 1],
        ["SEKRETARIS", "Sekretaris", "SEKRETARIAT", "struktural", "ya", "KADIS", "tidak", 2],
        ["KABID-PSP", "Kepala Bidang PSP", "BID-PSP", "struktural", "ya", "KADIS", "tidak", 3],
        ["KABID-TPH", "Kepala Bidang TPH", "BID-TPH", "struktural", "ya", "KADIS", "tidak", 4],
        ["KABID-PKH", "Kepala Bidang PKH", "BID-PKH", "struktural", "ya", "KADIS", "tidak", 5],
        [
            "STAF-PRG",
            "Analis Perencanaan",
            "SEKRETARIAT",
            "pelaksana",
            "tidak",
            "SEKRETARIS",
            "ya",
            6,
        ],
    ]
    employees = [["NIP", "Nama Lengkap", "Jenis Pegawai", "Golongan", "Email", "Nama Pengguna"]]
    holdings = [["Kode Jabatan", "Pegawai", "Status", "Mulai", "Sampai", "Nomor SK"]]
    for nip, name, login, position in OFFICIALS:
        employees.append([nip, name, "PNS", "III/c", "", login])
        holdings.append([position, nip, "Definitif", "2024-01-02", "", ""])
    team = [
        ["Kode Tim", "Nama Tim", "Nomor SK", "Tanggal SK", "Anggota", "Peran"],
        [
            "TIM-LAKIP",
            "Tim Penyusun LAKIP",
            "800/015/DISTAN-HST/2025",
            "2025-01-06",
            OFFICIALS[1][0],
            "ketua",
        ],
        ["", "", "", "", OFFICIALS[5][0], "anggota"],
    ]
    sheets = {"Unit": units, "Jabatan": positions, "Pegawai": employees}
    sheets |= {"Pemangku Jabatan": holdings, "Tim": team}
    _workbook(sheets).save(path)
    return path


def setda_structure(path: Path) -> Path:
    """The Setda's Bagian Organisasi: its Kabag is the region's SAKIP administrator."""
    _workbook(
        {
            "Unit": [
                ["Kode", "Nama", "Jenis", "Kode Induk", "Urutan"],
                ["ORG", "Bagian Organisasi", "bagian", "", 1],
            ],
            "Jabatan": [
                [
                    "Kode",
                    "Nama",
                    "Kode Unit",
                    "Jenis",
                    "Kepala Unit",
                    "Kode Atasan",
                    "Dipegang Bersama",
                    "Urutan",
                ],
                [
                    "KABAG-ORG",
                    "Kepala Bagian Organisasi",
                    "ORG",
                    "struktural",
                    "ya",
                    "",
                    "tidak",
                    1,
                ],
            ],
            "Pegawai": [
                ["NIP", "Nama Lengkap", "Jenis Pegawai", "Golongan", "Email", "Nama Pengguna"],
                [KABAG_ORG_NIP, "Ahmad Fauzi, S.Sos.", "PNS", "IV/a", "", "hst.admin"],
            ],
            "Pemangku Jabatan": [
                ["Kode Jabatan", "Pegawai", "Status", "Mulai", "Sampai", "Nomor SK"],
                ["KABAG-ORG", KABAG_ORG_NIP, "Definitif", "2023-03-01", "", ""],
            ],
        }
    ).save(path)
    return path


def dinas_sop(path: Path) -> Path:
    """The example SOP of docs/examples, for this Dinas and this Setda, uploaded on the Dinas's
    page (so without its ``agency:`` line)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^agency: .*\n", "", text)
    text = text.replace("DPUPR-BLG", DINAS).replace("SETDA-BLG", SETDA)
    path.write_text(text, encoding="utf-8")
    return path


def operator(*args: str) -> dict | list:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


class Office:
    """The browser as the officials take turns at it."""

    def __init__(self, page, shots: Path):
        self.page = page
        self.shots = shots
        self.codes: dict[str, str] = {}
        self.active: set[str] = set()
        self.current = ""

    def shot(self, name: str) -> None:
        self.page.screenshot(path=self.shots / f"{name}.png", full_page=True)

    def read_codes(self) -> None:
        """The codes of the printed list (login → code)."""
        for row in self.page.get_by_test_id("activation-codes").locator("tbody tr").all():
            cells = row.locator("td").all_inner_texts()
            self.codes[cells[2].strip()] = cells[3].strip()

    def activate(self, login: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.get_by_test_id("activate-account").click()
        form = page.get_by_test_id("activate-form")
        form.locator("input[name=login]").fill(login)
        form.locator("input[name=code]").fill(self.codes[login])
        form.locator("input[name=new_password1]").fill(PASSWORD)
        form.locator("input[name=new_password2]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: "/aktivasi/" not in url)
        self.active.add(login)

    def login(self, login: str) -> None:
        if login == self.current:
            return
        if login not in self.active:
            self.activate(login)
        page = self.page
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.fill("input[name=username]", login)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/masuk/" not in url)
        self.current = login


def _actor(task: Task) -> str:
    employee = task.worker or task.candidates.order_by("full_name").first()
    return employee.user.username


def _do_task(office: Office, case_id: int, task: Task) -> None:
    page = office.page
    office.login(_actor(task))
    page.goto("/kasus/")
    page.locator(f'[data-testid=inbox] [data-task-id="{task.pk}"] [data-testid=task-link]').click()
    if page.get_by_test_id("take").count():
        page.get_by_test_id("take").click()
    if task.step.is_decision:
        page.get_by_test_id("outcome-ya").check()
    page.get_by_test_id("note").fill(f"Langkah {task.step.number} selesai")
    page.get_by_test_id("complete").click()
    page.wait_for_url(re.compile(rf"/kasus/{case_id}/$"))


def test_a_new_office_sets_itself_up_and_runs_its_first_sop_on_the_pages(
    browser, live_server, tmp_path
):
    call_command("flush", "--no-input")  # the demo offices other tests share: gone
    assert not Agency.objects.exists() and not Region.objects.exists()  # an empty database
    shots = ARTIFACTS / "kantor-baru"
    shots.mkdir(parents=True, exist_ok=True)

    # The operator, once: the region, its Setda and its SAKIP administrator (docs/regions.md).
    operator(
        "region", "create", "--code", "63", "--name", "Provinsi Kalimantan Selatan", "--tz", "WITA"
    )
    operator(
        "region",
        "create",
        "--code",
        REGION,
        "--name",
        "Kabupaten Hulu Sungai Tengah",
        "--parent",
        "63",
    )
    operator(
        "agency",
        "create",
        "--region",
        REGION,
        "--code",
        SETDA,
        "--name",
        "Sekretariat Daerah Kabupaten Hulu Sungai Tengah",
        "--kind",
        "setda",
    )
    operator(
        "region",
        "admin",
        "--region",
        REGION,
        "--login",
        "hst.admin",
        "--name",
        "Ahmad Fauzi, S.Sos.",
        "--agency",
        SETDA,
        "--nip",
        KABAG_ORG_NIP,
    )
    (invited,) = operator("user", "invite", "hst.admin", "--print")

    with open_page(browser, live_server.url) as page:
        office = Office(page, shots)
        office.codes["hst.admin"] = invited["code"]

        # The regional administrator: activation, then a new Dinas.
        office.activate("hst.admin")
        office.shot("01-aktivasi")
        office.login("hst.admin")
        page.goto("/")
        page.get_by_test_id("region-link").first.click()
        expect(page.get_by_test_id("region-agencies")).to_contain_text(SETDA)
        page.get_by_test_id("agency-create").click()
        page.fill("input[name=code]", DINAS)
        page.fill("input[name=name]", "Dinas Pertanian Kabupaten Hulu Sungai Tengah")
        page.select_option("select[name=kind]", "dinas")
        page.select_option("select[name=time_zone]", "Asia/Makassar")
        page.fill(
            "textarea[name=letterhead_lines]",
            "PEMERINTAH KABUPATEN HULU SUNGAI TENGAH\nDINAS PERTANIAN",
        )
        page.fill("input[name=head_title]", "KEPALA DINAS PERTANIAN")
        office.shot("02-instansi-baru")
        page.get_by_test_id("agency-save").click()
        page.wait_for_url(re.compile(rf"/organisasi/{DINAS}/"))

        # ... its first administrator, entered by hand (the Dinas has no employees yet) ...
        page.goto(f"/organisasi/{DINAS}/administrator/")
        page.fill("input[name=full_name]", "Siti Rahmah, S.Kom.")
        page.fill("input[name=nip]", "199107072019032007")
        page.fill("input[name=username]", "distan.admin")
        office.shot("03-administrator")
        page.get_by_test_id("admin-grant").click()
        expect(page.get_by_test_id("agency-admin")).to_have_count(1)
        # ... whose one-time code is printed on the Dinas's page.
        page.goto(f"/organisasi/{DINAS}/")
        page.get_by_test_id("print-codes").click()
        office.read_codes()
        assert set(office.codes) == {"hst.admin", "distan.admin"}
        office.shot("04-kode-aktivasi")

        # The Setda's Bagian Organisasi, imported by the regional administrator.
        page.goto(f"/organisasi/{SETDA}/impor/")
        page.set_input_files("input[name=file]", str(setda_structure(tmp_path / "setda.xlsx")))
        page.get_by_test_id("structure-submit").click()
        expect(page.get_by_test_id("org-tree")).to_contain_text("Kepala Bagian Organisasi")

        # The office administrator: its structure with the Tim sheet, everyone's codes.
        office.login("distan.admin")
        page.goto(f"/organisasi/{DINAS}/impor/")
        page.set_input_files("input[name=file]", str(dinas_structure(tmp_path / "distan.xlsx")))
        office.shot("05-impor-struktur")
        page.get_by_test_id("structure-submit").click()
        expect(page.get_by_test_id("org-tree")).to_contain_text("Kepala Bidang PKH")
        office.shot("06-struktur")
        page.get_by_test_id("print-codes").click()
        office.read_codes()
        assert {login for *_, login, _ in OFFICIALS} <= set(office.codes)
        office.shot("07-kode-semua")

        # The SOP as the office prints it, uploaded as a draft; the Kepala Dinas approves it.
        page.goto(f"/sop/{DINAS}/")
        page.get_by_test_id("sop-upload-link").click()
        page.get_by_test_id("sop-file").set_input_files(str(dinas_sop(tmp_path / "sop.yaml")))
        page.get_by_test_id("sop-upload-submit").click()
        expect(page.get_by_test_id("sop-title")).to_have_text("SOP Penyusunan LAKIP SKPD")
        expect(page.get_by_test_id("step-row")).to_have_count(8)
        office.shot("08-sop-draf")
        sop_url = page.url
        office.login("distan.kadis")
        page.goto(sop_url)
        page.get_by_test_id("approve").click()
        expect(page.get_by_test_id("version-status")).to_have_attribute("data-status", "effective")

        # The Sekretaris starts it for 2025.
        office.login("distan.sekretaris")
        page.goto("/kasus/mulai/")
        option = page.locator("select[name=sop] option", has_text="Penyusunan LAKIP SKPD")
        page.select_option("select[name=sop]", option.get_attribute("value"))
        page.fill("input[name=period]", "2025")
        page.get_by_test_id("start-submit").click()
        page.wait_for_url(re.compile(r"/kasus/\d+/$"))
        case_id = int(re.search(r"/kasus/(\d+)/", page.url).group(1))

        # Each official does their step from their own inbox.
        done: list[tuple[int, str]] = []
        for _ in range(20):
            task = (
                Task.objects.filter(case_id=case_id, status=Task.Status.OPEN)
                .select_related("step", "assignee__user", "delegated_to__user")
                .order_by("pk")
                .first()
            )
            if task is None:
                break
            if task.step.number == 2 and len(done) == 1:
                # every Bidang has its own task at once, and the case page lists who has not sent
                open_bidang = Task.objects.filter(case_id=case_id, step=task.step, status="open")
                assert sorted(_actor(t) for t in open_bidang) == [
                    "distan.kabid.pkh",
                    "distan.kabid.psp",
                    "distan.kabid.tph",
                ]
            _do_task(office, case_id, task)
            done.append((task.step.number, _actor(task)))
            if task.step.number == 2 and sum(n == 2 for n, _ in done) == 2:
                # two of three Bidang have sent: the case waits for the third
                page.goto(f"/kasus/{case_id}/")
                office.shot("09-kasus-bidang")
                assert not Task.objects.filter(case_id=case_id, step__number=3).exists()

        page.goto(f"/kasus/{case_id}/")
        expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", "finished")
        office.shot("10-kasus-selesai")

    assert Case.objects.get(pk=case_id).status == Case.Status.FINISHED
    steps = [n for n, _ in done]
    assert steps == [1, 2, 2, 2, 3, 4, 5, 6, 7, 8]
    by_step = dict(done)
    assert by_step[1] == "distan.sekretaris" and by_step[7] == "distan.kadis"
    # the Setda's Kabag Organisasi did the asistensi and received the LAKIP, from his own inbox
    assert [login for n, login in done if n in (5, 8)] == ["hst.admin", "hst.admin"]
    assert {login for n, login in done if n == 2} == {
        "distan.kabid.psp",
        "distan.kabid.tph",
        "distan.kabid.pkh",
    }
    # nobody's password was chosen by anyone but themselves: every login used was activated
    assert all(
        e.user.has_usable_password() == (e.user.username in office.active)
        for e in Employee.objects.select_related("user").exclude(user=None)
    )
