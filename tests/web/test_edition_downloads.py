"""The report page offers every edition as PDF, DOCX and Markdown, in headless Chromium:
the links are there in the UI's language, and what they download is the edition."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

# The browser module skips (or, under CI=true, fails) when Chromium or Playwright is
# missing; its fixtures serve the app and start the browser.
from tests.web.test_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    Browser,
    Visit,
    base_url,
    browser,
    expect,
)


def test_the_report_page_downloads_every_edition(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        base_url=base_url,
        accept_downloads=True,
    )
    visit = Visit(context.new_page(), base_url)
    page = visit.page
    page.goto("/reports/2023/zh")
    section = page.locator("section.editions")
    expect(section.locator("h2")).to_have_text("下载本报告")
    chinese, english = section.locator("#edition-zh"), section.locator("#edition-en")
    expect(chinese).to_contain_text("中文版（全文及附件）")
    expect(english).to_contain_text("英文版（仅附件")
    for item in (chinese, english):
        expect(item.locator("a")).to_have_text(["PDF", "DOCX", "Markdown"])
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(ARTIFACTS / "edition-downloads.png"))

    saved = {}
    for item, name in ((chinese, "zh"), (english, "en")):
        for link in ("PDF", "DOCX", "Markdown"):
            with page.expect_download(timeout=120_000) as started:
                item.get_by_role("link", name=link, exact=True).click()
            download = started.value
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            saved[(name, link)] = target
    assert {path.name for path in saved.values()} == {
        "CDIP-32-2-zh.pdf",
        "CDIP-32-2-zh.docx",
        "CDIP-32-2-zh.md",
        "CDIP-32-2-en-annexes.pdf",
        "CDIP-32-2-en-annexes.docx",
        "CDIP-32-2-en-annexes.md",
    }
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(saved[("zh", "PDF")]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "CDIP/32/2" in first_page and "秘书处编拟" in first_page
    english_pdf = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(saved[("en", "PDF")]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "prepared by the Secretariat" in english_pdf
    for name in ("zh", "en"):
        assert zipfile.is_zipfile(saved[(name, "DOCX")])
    markdown = saved[("zh", "Markdown")].read_text(encoding="utf-8")
    assert markdown.startswith("CDIP/32/2<br>") and "\\[后接附件\\]" in markdown
    visit.check_offline_and_clean()
    context.close()
