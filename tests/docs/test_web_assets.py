"""The site's stylesheets and icon fonts cut to what its pages use (lstm_site.web), on small
sheets and fonts made here; and, on the built site, that every icon a page shows is kept."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from lstm_site import web

SUN, MOON, GEAR = "\uf185", "\uf186", "\uf013"


def make_font(characters: str, *, woff2: bool = True) -> bytes:
    """A font with a square glyph for each of ``characters`` (WOFF2, or TrueType)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"g{ord(char):04x}" for char in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(char): f"g{ord(char):04x}" for char in characters})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((600, 700))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(names, (700, 100)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Icons", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    if woff2:
        builder.font.flavor = "woff2"
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def characters_of(font: bytes) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(code) for code in TTFont(io.BytesIO(font)).getBestCmap()}


# --- the pages' head -------------------------------------------------------------------


def test_only_the_first_viewport_tag_is_kept():
    head = (
        '<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        "<title>Page</title>\n"
        '  <meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
    )
    kept = web.drop_repeated_viewport(head)
    assert kept.count('name="viewport"') == 1
    assert 'initial-scale=1.0"' in kept
    assert "<title>Page</title>" in kept
    assert web.drop_repeated_viewport(kept) == kept


@pytest.mark.parametrize(
    "own",
    [
        '<meta content="What it answers." name="description" />',  # as docutils writes it
        '<meta name="description" content="What it answers." />',
    ],
)
def test_a_pages_own_description_is_kept_and_previewed(own):
    """A page's front-matter description (attributes in either order) is its only one."""
    app = SimpleNamespace(config=SimpleNamespace(html_title="Site"))
    context = {"metatags": own + "\n"}
    web.add_description(app, "page", "page.html", context, doctree=SimpleNamespace())
    assert context["metatags"].count('name="description"') == 1
    assert context["meta"]["og:description"] == "What it answers."


def test_a_generated_page_is_previewed_with_its_titles_text():
    """Sphinx's own pages (no doctree) get their link preview here, titled by the text of
    the title, not its markup."""
    config = SimpleNamespace(
        html_title="Site", ogp_type="website", project="lstm-states", ogp_site_url=""
    )
    app = SimpleNamespace(config=config)
    context = {"metatags": "", "title": "Index &amp; <em>search</em>"}
    web.add_description(app, "genindex", "genindex.html", context, doctree=None)
    assert '<meta property="og:title" content="Index &amp; search" />' in context["metatags"]


def test_inline_code_keeps_a_span_only_around_a_word_a_line_could_break_in():
    code = '<code class="docutils literal notranslate">{}</code>'
    words = ["keras.layers.LSTM(4,", "return_sequences=True)", "h_{t-1}", "a/b", "x|y"]
    page = code.format(" ".join(f'<span class="pre">{word}</span>' for word in words))
    merged = web.merge_literal_words(page)
    assert merged == code.format(
        'keras.layers.LSTM(4, return_sequences=True) <span class="pre">h_{t-1}</span> '
        '<span class="pre">a/b</span> <span class="pre">x|y</span>'
    )
    assert web.merge_literal_words(merged) == merged
    signature = '<dt class="sig"><span class="sig-name"><span class="pre">f</span></span></dt>'
    assert web.merge_literal_words(signature) == signature


# --- reading a stylesheet ---------------------------------------------------------------


def test_statements_respect_strings_urls_and_comments():
    css = (
        '@charset "UTF-8";\n'
        '.a:before{content:"}{;"}'
        ".b{background:url(data:image/svg+xml;base64,AAA=)}"
        "/* a comment with { braces } */"
        "@media (min-width:960px){.c{top:0}.d{top:1}}"
        "/*! Licence: kept */"
        ".e{top:2}"
    )
    assert web.css_statements(css) == [
        ('@charset "UTF-8"', None),
        (".a:before", 'content:"}{;"'),
        (".b", "background:url(data:image/svg+xml;base64,AAA=)"),
        ("@media (min-width:960px)", ".c{top:0}.d{top:1}"),
        ("/*! Licence: kept */", None),
        (".e", "top:2"),
    ]


# --- which rules are kept ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "used"),
    [
        (".navbar", True),
        (".navbar .fa-sun:before", True),
        (".fa-moon", False),
        ("#pst-back-to-top", True),
        ("#missing", False),
        ("html[data-theme=dark] .navbar", True),  # attributes: any value
        ('a[href$=".pdf"]', True),
        (".navbar:not(.collapsed)", True),  # :not(.x) matches without .x
        (".navbar:not(.collapsed) .dropdown-menu", False),
        (":is(.fas,.fa-solid):before", True),
        ("body", True),  # no class: kept
        ("*", True),
        (".md\\:flex", True),  # an escaped name: unsure, kept
        (".navbar>.container-fluid", False),
    ],
)
def test_a_selector_is_used_when_the_site_has_each_name_it_needs(selector, used):
    words = {"navbar", "fa-sun", "pst-back-to-top", "collapsed"}
    assert web.selector_used(selector, words) is used


def test_trimming_keeps_what_the_site_uses_and_every_at_rule_but_empty_groups():
    css = (
        "/*! Licence */\n"
        ".used,.unused{color:red}\n"
        ".unused{color:blue}\n"
        "@media (max-width:540px){.unused{top:0}}\n"
        "@media (min-width:960px){.used{top:1}@supports (x:y){.unused{top:2}}}\n"
        "@font-face{font-family:Icons;src:url(icons.woff2)}\n"
        "@keyframes spin{0%{transform:none}to{transform:rotate(1turn)}}\n"
        "html[data-theme=dark]{--color:#fff}\n"
        ".used{&:hover{color:green}}\n"
        "/*# sourceMappingURL=theme.css.map*/\n"
    )
    trimmed = web.trim_css(css, {"used"})
    assert trimmed.splitlines() == [
        "/*! Licence */",
        ".used{color:red}",
        "@media (min-width:960px){.used{top:1}}",
        "@font-face{font-family:Icons;src:url(icons.woff2)}",
        "@keyframes spin{0%{transform:none}to{transform:rotate(1turn)}}",
        "html[data-theme=dark]{--color:#fff}",
        ".used{&:hover{color:green}}",
    ]
    assert web.trim_css(trimmed, {"used"}) == trimmed  # trimming twice changes nothing


def test_the_sites_names_are_its_pages_words_and_what_its_scripts_compose():
    pages = ['<i class="fa-solid fa-sun"></i>']
    scripts = [
        'el.classList.add("show"); tip.classList.add(`bs-${this.constructor.NAME}-auto`);',
        "q.querySelector(`.${name}`)",
    ]
    names = web.site_names(pages, scripts)
    for name in ("fa-solid", "fa-sun", "show", "bs-tooltip-auto", "bs-popover-auto"):
        assert name in names
    for name in ("fa-moon", "bs-tooltip", "navbar"):
        assert name not in names
    # the rules for the tooltips Bootstrap's script makes are kept
    assert web.trim_css(".bs-tooltip-auto .tooltip-arrow{top:0}", names) == ""
    assert web.trim_css(".bs-tooltip-auto .show{top:0}", names) == ".bs-tooltip-auto .show{top:0}"


# --- which characters an icon font must keep --------------------------------------------


def test_drawn_characters_follow_custom_properties_named_in_content():
    css = (
        ':is(.fas,.fa-solid):before{content:var(--fa)/""}'
        '.fa-sun{--fa:"\\f185"}'
        'html{--pst-icon-note:var(--pst-icon-info);--pst-icon-info:"\\f05a";'
        '--pst-icon-unused:"\\f013";--fa-family:"Font Awesome 7 Free"}'
        ".admonition-title:after{content:var(--pst-icon-note)}"
        '@media print{.x:before{content:"\\31 "}}'
        ".y{justify-content:center}"
    )
    assert web.drawn_characters(css) == {SUN, "\uf05a", "1"}


# --- cutting the fonts ------------------------------------------------------------------


def test_an_icon_font_is_cut_to_the_drawn_characters():
    font = make_font(SUN + MOON + GEAR + "0")
    cut = web.subset_icon_font(font, {SUN, "0", "x"})
    assert cut is not None
    assert cut[:4] == b"wOF2"
    assert characters_of(cut) == {SUN, "0"}
    assert len(cut) < len(font)
    assert web.subset_icon_font(font, {SUN, "0", "x"}) == cut  # the same bytes each build


def test_a_text_font_is_left_whole():
    text_font = make_font("abcdefghij" + SUN, woff2=False)
    assert web.subset_icon_font(text_font, {"a"}) is None


def test_the_font_face_points_at_the_cut_font(tmp_path):
    fonts = tmp_path / "vendor" / "webfonts"
    fonts.mkdir(parents=True)
    (fonts / "icons-900.woff2").write_bytes(make_font(SUN + MOON + GEAR))
    (fonts / "text.ttf").write_bytes(make_font("abcdefghij", woff2=False))
    styles = tmp_path / "styles"
    styles.mkdir()
    css = (
        "@font-face{font-family:Icons;font-display:block;"
        'src:url("../vendor/webfonts/icons-900.woff2?v=1") format("woff2")}\n'
        "@font-face{font-family:Text;src:url(../vendor/webfonts/text.ttf)}\n"
        ".a{top:0}"
    )
    rewritten = web.subset_site_fonts(css, styles / "theme.css", {SUN})
    cut = fonts / "icons-900.subset.woff2"
    assert characters_of(cut.read_bytes()) == {SUN}
    url = re.search(r"src:url\(([^)]*)\) format\(\"woff2\"\)\}", rewritten)
    assert url is not None, rewritten
    assert re.fullmatch(r"\.\./vendor/webfonts/icons-900\.subset\.woff2\?v=[0-9a-f]{12}", url[1])
    assert "src:url(../vendor/webfonts/text.ttf)" in rewritten  # a text font: as it was
    assert rewritten.endswith(".a{top:0}")


# --- the whole site ---------------------------------------------------------------------


def test_an_imported_sheet_is_written_into_the_importing_one(tmp_path):
    (tmp_path / "basic.css").write_text(
        '@charset "utf-8";\na{background:url(file.png)}\nb{background:url("data:x;y")}',
        encoding="utf-8",
    )
    (tmp_path / "styles").mkdir()
    css = '@import "../basic.css";\n@import url(missing.css);\n@import "x.css" print;\nc{top:0}'
    inlined = web.inline_imports(css, tmp_path / "styles" / "theme.css")
    assert "a{background:url(../file.png)}" in inlined
    assert 'b{background:url("data:x;y")}' in inlined
    assert "@charset" not in inlined
    assert "@import url(missing.css);" in inlined  # not there: left to the browser
    assert '@import "x.css" print;' in inlined  # for some media only: left as it is


def make_site(root: Path) -> Path:
    """A built site in miniature: a page in a folder, a theme sheet that imports another,
    an icon sheet with its font, a search index and the theme's icon script."""
    static = root / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "scripts").mkdir()
    (static / "webfonts").mkdir()
    (static / "webfonts" / "icons.woff2").write_bytes(make_font(SUN + MOON + GEAR))
    (static / "basic.css").write_text(".document{margin:0}.unused-basic{top:0}")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";')
    (static / "styles" / "icons.css").write_text(
        "@font-face{font-family:Icons;src:url(../webfonts/icons.woff2)}"
        ".fa:before{font-family:Icons;content:var(--fa)}"
        '.fa-sun{--fa:"\\f185"}.fa-moon{--fa:"\\f186"}.fa-gear{--fa:"\\f013"}'
        ".bs-tooltip-auto .fa{top:0}"
    )
    (static / "scripts" / "theme.js").write_text("e.classList.add(`bs-${NAME}-auto`)")
    (static / "scripts" / "fontawesome.js").write_text('const icons = ["fa-moon"]')
    (root / "searchindex.js").write_text('Search.setIndex({"terms": {"fa-gear": 1}})')
    (root / "guide").mkdir()
    (root / "guide" / "page.html").write_text(
        "<html><head>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
        '<link rel="stylesheet" type="text/css" href="../_static/styles/icons.css?v=2" />\n'
        '<script defer src="../_static/scripts/fontawesome.js"></script>\n'
        '</head><body><div class="document"><i class="fa fa-sun"></i></div></body></html>\n',
        encoding="utf-8",
    )
    return root


def test_optimise_styles_writes_trimmed_copies_and_cuts_the_icon_font(tmp_path):
    static = make_site(tmp_path) / "_static"
    theme, icons = static / "styles" / "theme.css", static / "styles" / "icons.css"
    before = {path: path.read_text() for path in (theme, icons)}
    page = (tmp_path / "guide" / "page.html").read_text()
    copies = web.optimise_styles([theme, icons], web.site_names([page], []))
    assert re.fullmatch(r"theme\.trimmed\.css\?v=[0-9a-f]{12}", copies[theme])
    assert re.fullmatch(r"icons\.trimmed\.css\?v=[0-9a-f]{12}", copies[icons])
    assert {path: path.read_text() for path in (theme, icons)} == before  # left as they are
    assert (static / "styles" / "theme.trimmed.css").read_text() == ".document{margin:0}\n"
    cut = (static / "styles" / "icons.trimmed.css").read_text()
    assert ".fa-sun" in cut
    assert ".fa-moon" not in cut
    assert "icons.subset.woff2?v=" in cut
    assert characters_of((static / "webfonts" / "icons.subset.woff2").read_bytes()) == {SUN}


def fake_app(outdir: Path) -> SimpleNamespace:
    """What optimise_site reads of Sphinx's application."""
    return SimpleNamespace(
        outdir=str(outdir),
        builder=SimpleNamespace(format="html"),
        config=SimpleNamespace(html_theme_options={}, html_baseurl=""),
    )


def test_optimise_site_links_each_page_to_the_trimmed_sheets(tmp_path):
    site = make_site(tmp_path)
    web.optimise_site(fake_app(site), None)
    page = (site / "guide" / "page.html").read_text()
    assert page.count('name="viewport"') == 1
    assert "fontawesome" not in page
    assert not (site / "_static" / "scripts" / "fontawesome.js").exists()
    hrefs = web.page_stylesheets(page)
    assert [href.split("?")[0] for href in hrefs] == [
        "../_static/styles/theme.trimmed.css",
        "../_static/styles/icons.trimmed.css",
    ]
    cut = (site / "_static" / "styles" / "icons.trimmed.css").read_text()
    # neither the icon script's names nor the search index's words keep a rule
    assert ".fa-moon" not in cut
    assert ".fa-gear" not in cut
    assert ".bs-tooltip-auto .fa{top:0}" in cut  # a name a script composes does
    # a second build finds pages that link the copies already: the same result
    web.optimise_site(fake_app(site), None)
    assert (site / "guide" / "page.html").read_text() == page
    assert (site / "_static" / "styles" / "icons.trimmed.css").read_text() == cut


def test_every_built_page_links_the_trimmed_sheets(site: Path):
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0].startswith("_"):
            continue
        hrefs = web.page_stylesheets(page.read_text(encoding="utf-8"))
        assert hrefs, page
        for href in hrefs:
            assert re.search(r"\.trimmed\.css\?v=[0-9a-f]{12}$", href), (page, href)
            assert (page.parent / href.split("?")[0]).is_file(), (page, href)


def test_every_icon_the_built_pages_show_is_in_the_cut_font(site: Path):
    """Each ``fa-*`` icon class a page names keeps its rule, and the font its character."""
    (href,) = [
        href
        for href in web.page_stylesheets((site / "index.html").read_text(encoding="utf-8"))
        if "pydata-sphinx-theme" in href
    ]
    sheet = (site / href.split("?")[0]).read_text(encoding="utf-8")
    assert "fa-solid-900.subset.woff2?v=" in sheet
    fonts = site / "_static" / "vendor" / "fontawesome" / "webfonts"
    kept = set().union(*(characters_of(font.read_bytes()) for font in fonts.glob("*.subset.woff2")))
    not_icons = r"(?!(?:solid|regular|brands|lg|fw)\b)"
    icons = set()
    for page in site.rglob("*.html"):
        icons |= set(re.findall(rf"\bfa-{not_icons}[\w-]+", page.read_text(encoding="utf-8")))
    assert icons, "no icon found on the pages"
    selectors = ",".join(prelude for prelude, _ in web.css_statements(sheet))
    for icon in sorted(icons):
        assert re.search(rf"\.{icon}(?![\w-])", selectors), f"the rule of .{icon} was trimmed"
    private = {char for char in web.drawn_characters(sheet) if "\ue000" <= char <= "\uf8ff"}
    assert private, "the sheet draws no icon"
    assert private <= kept, f"the cut font lacks {sorted(private - kept)}"
