"""The site as the web meets it: fast on a phone, found by search engines, previewed in links.

- Math is typeset at build time into MathML (:func:`latex_to_mathml`, with the pure-Python
  latex2mathml), which browsers draw natively: no math script, no math fonts, nothing to
  typeset on the reader's phone, and no Node.js to build the site.
- Each built page is trimmed after the build (:func:`optimise_page`): the theme's icon
  script (1.5 MB; the icons come from its CSS and web font) and its search scripts (the
  search page has its own) are dropped, the scripts in the head are deferred, images get
  their size and load lazily below the first.
- The stylesheets the pages link are cut to the rules that can match something on the
  site (:func:`optimise_styles`; written beside them as ``NAME.trimmed.css``, which the
  pages link instead), and the icon fonts to the icons these rules draw: about 80 KB of CSS
  and a 115 KB font become about 27 KB and 3 KB (gzip) on the way to the first paint.
- Each page has a meta description (:func:`page_description`: its first paragraph, unless
  the page sets ``myst: html_meta: description:``), which the link previews
  (sphinxext-opengraph) reuse; the site has a sitemap (sphinx-sitemap) and a robots.txt
  that points at it, when its address is known (:func:`base_url`).
"""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lstm_site import label_nav_toggles, text_of

if TYPE_CHECKING:
    from docutils import nodes

BASE_URL_VAR = "LSTM_STATES_BASE_URL"


def base_url(environ: Mapping[str, str]) -> str | None:
    """The address the site is served from (ending in ``/``), or None when none is known.

    ``LSTM_STATES_BASE_URL`` (the GitHub Pages workflow sets it from the Pages URL), else
    Read the Docs' ``READTHEDOCS_CANONICAL_URL``. Without one, the site has no sitemap and
    its link previews no absolute URL: a guessed address would send search engines astray.

    >>> base_url({"LSTM_STATES_BASE_URL": "https://example.org/lstm-states"})
    'https://example.org/lstm-states/'
    >>> base_url({"READTHEDOCS_CANONICAL_URL": "https://x.readthedocs.io/en/latest/"})
    'https://x.readthedocs.io/en/latest/'
    >>> base_url({}) is None
    True
    """
    for name in (BASE_URL_VAR, "READTHEDOCS_CANONICAL_URL"):
        url = environ.get(name, "").strip()
        if url:
            return url.removesuffix("/") + "/"
    return None


def robots_txt(base: str | None, sitemap: str = "sitemap.xml") -> str:
    """The site's robots.txt: everything may be crawled; the sitemap, when there is one.

    >>> print(robots_txt("https://example.org/s/"), end="")
    User-agent: *
    Allow: /
    Sitemap: https://example.org/s/sitemap.xml
    """
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines.append(f"Sitemap: {base}{sitemap}")
    return "\n".join(lines) + "\n"


# --- math: MathML at build time ------------------------------------------------------

# The environments latex2mathml builds a table for; `aligned` (amsmath's, inside an
# equation) is drawn as its `align*`: the same right/left column pairs, unnumbered.
_ENVIRONMENT_ALIASES = {"aligned": "align*", "align": "align*"}
_ARITY = {
    "mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "mover": 2, "munder": 2,
    "munderover": 3, "mroot": 2,
}  # fmt: skip
# Accents drawn over a letter (\tilde, \hat, \bar, ...), tight to it as TeX draws them.
_ACCENTS = frozenset("~^\u00af\u02c6\u02dc\u02d9\u00a8\u02c7\u02d8\u00b4`\u2192\u20d7")
_ROW_GAP = re.compile(r"\\\\\s*\[[^\]]*\]")


def _environments() -> frozenset[str]:
    from latex2mathml import commands

    return frozenset(name.removeprefix("\\") for name in commands.MATRICES)


def _check_braces(latex: str) -> None:
    depth = 0
    for brace in re.sub(r"\\[\\{}]", "", latex):
        if brace in "{}":
            depth += 1 if brace == "{" else -1
            if depth < 0:
                raise ValueError("a '}' closes no group")
    if depth:
        raise ValueError("a '{' is never closed")


def _check_and_tidy(element: Any, in_table: bool = False) -> None:
    """Raise ``ValueError`` on what latex2mathml let through unconverted; tidy the rest.

    latex2mathml keeps an unknown command as text (``<mi>\\foo</mi>``), an ``&``
    outside a table as text and an incomplete ``\\frac`` as a one-child ``<mfrac>``.
    """
    tag = element.tag
    text = html.unescape(element.text or "")
    if text.startswith("\\"):
        raise ValueError(f"unknown command {text}")
    if text == "&" and not in_table and tag != "mtext":
        raise ValueError("'&' outside an aligned environment")
    if tag in _ARITY and len(element) != _ARITY[tag]:
        raise ValueError(f"{tag} has {len(element)} parts, not {_ARITY[tag]}: a missing argument")
    if element.text is not None:
        element.text = text
    if tag == "mover" and len(element) == 2 and (element[1].text or "") in _ACCENTS:
        element.set("accent", "true")
    for child in element:
        _check_and_tidy(child, in_table or tag == "mtd")


def _apply_functions(element: Any) -> None:
    """``\\tanh`` and the other named functions: followed by U+2061 (function application),
    as KaTeX writes them, with TeX's thin space before an argument not in parentheses."""
    from xml.etree.ElementTree import Element

    from latex2mathml import commands

    names = {name.removeprefix("\\") for name in commands.FUNCTIONS}
    for parent in list(element.iter()):
        for index in reversed(range(len(parent))):
            child = parent[index]
            if child.tag == "mi" and child.text in names:
                operator = Element("mo")
                operator.text = "\u2061"
                following = parent[index + 1] if index + 1 < len(parent) else None
                if following is not None and following.tag != "mo":
                    operator.set("rspace", "0.1667em")  # TeX's thin space: tanh c, not tanhc
                parent.insert(index + 1, operator)


def latex_to_mathml(latex: str, *, display: bool) -> str:
    r"""``latex`` as MathML (latex2mathml's), raising ``ValueError`` where it cannot convert it.

    Pure Python: no browser script, no Node.js. ``aligned`` and ``align`` become a table
    of right/left column pairs (the CSS aligns them); a row gap (``\\[4pt]``) is dropped.

    >>> latex_to_mathml(r"h_{t-1} < 1", display=False).encode("ascii", "xmlcharrefreplace")
    b'<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msub><mi>h</mi><mrow><mi>t</mi><mo>&#8722;</mo><mn>1</mn></mrow></msub><mo>&lt;</mo><mn>1</mn></mrow></math>'

    A named function is followed by U+2061 (function application), as KaTeX writes it:

    >>> latex_to_mathml(r"\tanh c", display=False).encode("ascii", "xmlcharrefreplace")
    b'<math ...><mrow><mi>tanh</mi><mo rspace="0.1667em">&#8289;</mo><mi>c</mi></mrow></math>'
    >>> mathml = latex_to_mathml(r"\begin{aligned} a &= b \\[4pt] c &= d \end{aligned}", display=True)
    >>> mathml.count("<mtr>"), mathml.count('<mtd columnalign="right">'), "4pt" in mathml
    (2, 2, False)

    A display formula can be focused (``tabindex="0"``): where it is wider than a phone's
    screen it scrolls, and a keyboard reaches it as it reaches a code block.

    >>> 'tabindex="0"' in mathml, 'tabindex' in latex_to_mathml("x", display=False)
    (True, False)

    What it cannot convert is an error, not a formula drawn wrong:

    >>> latex_to_mathml(r"\frobnicate x", display=False)
    Traceback (most recent call last):
    ...
    ValueError: unknown command \frobnicate
    >>> latex_to_mathml(r"\begin{eqnarray} a \end{eqnarray}", display=True)
    Traceback (most recent call last):
    ...
    ValueError: unknown environment 'eqnarray'
    >>> latex_to_mathml(r"\frac{1}", display=False)
    Traceback (most recent call last):
    ...
    ValueError: mfrac has 1 parts, not 2: a missing argument
    >>> latex_to_mathml(r"x^", display=False)
    Traceback (most recent call last):
    ...
    ValueError: latex2mathml: MissingSuperScriptOrSubscriptError
    >>> latex_to_mathml(r"\sqrt{x", display=False)
    Traceback (most recent call last):
    ...
    ValueError: a '{' is never closed
    """
    from xml.etree.ElementTree import tostring

    from latex2mathml.converter import convert_to_element

    _check_braces(latex)
    known = _environments()

    def environment(match: re.Match[str]) -> str:
        name = _ENVIRONMENT_ALIASES.get(match[2], match[2])
        if name not in known:
            raise ValueError(f"unknown environment {match[2]!r}")
        return f"\\{match[1]}{{{name}}}"

    latex = re.sub(r"\\(begin|end)\s*\{([^}]*)\}", environment, latex)
    latex = _ROW_GAP.sub(lambda _: "\\\\", latex)
    try:
        element = convert_to_element(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml's errors carry their name only
        raise ValueError(f"latex2mathml: {type(error).__name__} {error}".rstrip()) from error
    _check_and_tidy(element)
    _apply_functions(element)
    if display:  # a wide formula scrolls on a phone: reachable by keyboard, as code blocks are
        element.set("tabindex", "0")
    return tostring(element, encoding="unicode", short_empty_elements=False)


def _display_parts(latex: str) -> list[str]:
    r"""A display block's formulas: one per paragraph; one with ``\\`` lines is ``aligned``.

    >>> _display_parts("a = b\n\nc &= d \\\\ e &= f")
    ['a = b', '\\begin{aligned}c &= d \\\\ e &= f\\end{aligned}']
    """
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
    return [
        rf"\begin{{aligned}}{part}\end{{aligned}}"
        if r"\\" in part and r"\begin" not in part
        else part
        for part in parts
    ]


def _math_or_warning(translator: Any, node: nodes.Element, latex: str, display: bool) -> str:
    from sphinx.util import logging

    try:
        return latex_to_mathml(latex, display=display)
    except ValueError as error:
        logging.getLogger(__name__).warning(f"cannot typeset {latex!r}: {error}", location=node)
        return translator.encode(latex)


def visit_math(translator: Any, node: nodes.math) -> None:
    """Inline math as MathML (Sphinx's HTML math renderer ``mathml``)."""
    from docutils import nodes

    translator.body.append(translator.starttag(node, "span", "", CLASS="math notranslate"))
    translator.body.append(_math_or_warning(translator, node, node.astext(), False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(translator: Any, node: nodes.math_block) -> None:
    """Display math as MathML, numbered as Sphinx numbers equations."""
    from docutils import nodes
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    translator.body.append(translator.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, _("Link to this equation"))
        translator.body.append("</span>")
    latex = node.astext()
    parts = [latex] if node.get("no-wrap", node.get("nowrap", False)) else _display_parts(latex)
    mathml = "".join(_math_or_warning(translator, node, part, True) for part in parts)
    translator.body.append(mathml + "</div>\n")
    raise nodes.SkipNode


# --- the meta description ------------------------------------------------------------

#: Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 160
_SKIPPED = ("cell_output", "admonition", "sidebar", "topic", "toctree-wrapper")


def _plain(latex: str) -> str:
    r"""Inline math as plain text for a description: ``h_{t-1}`` -> ``h_t-1``, ``\tanh`` -> tanh.

    >>> _plain(r"h_{t-1} = \tanh(c_t)")
    'h_t-1 = tanh(c_t)'
    """
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{([^}]*)\}", r"\1", latex)
    return re.sub(r"[{}]|\\(?=[A-Za-z])", "", text).replace("\\", "")


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text``'s whole sentences up to ``limit`` characters; else its words, ending in ….

    A first sentence shorter than half the limit is followed by as many words as fit.

    >>> shorten("First one. Second one. Third one is long.", 24)
    'First one. Second one.'
    >>> shorten("A sentence far longer than the limit allows", 20)
    'A sentence far…'
    >>> shorten("Short. And then a long sentence goes on and on", 30)
    'Short. And then a long…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.?!:])\s+(?=[A-Z`(])", text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if len(kept) >= limit // 2:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_description(doctree: nodes.document) -> str:
    """What a page answers, for search results: the text of its first paragraph, shortened.

    The first paragraph of the page's prose: not in a cell's output, an admonition or a
    sidebar. Math is written as plain text.
    """
    from docutils import nodes

    for paragraph in doctree.findall(nodes.paragraph):
        ancestor, skipped = paragraph.parent, False
        while ancestor is not None:
            classes = (
                set(ancestor.get("classes", [])) if isinstance(ancestor, nodes.Element) else set()
            )
            if isinstance(ancestor, (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table)):
                skipped = True
            if classes & set(_SKIPPED) or ancestor.get("nb_element") == "cell_code_output":
                skipped = True
            ancestor = ancestor.parent
        if skipped:
            continue
        text = "".join(
            _plain(node.astext()) if isinstance(node, nodes.math) else node.astext()
            for node in paragraph.children
        )
        if text.strip():
            return shorten(text)
    return ""


#: What Sphinx's generated pages are for, in a description.
GENERATED_PAGES = {
    "search": "Search every page of {site}: return_sequences, return_state, state_h, state_c.",
    "genindex": "The index of {site}: every name the pages and the lstm_examples API define.",
    "py-modindex": "The Python modules of lstm_examples, the package behind {site}.",
}

GENERATED_TITLES = {"search": "Search", "genindex": "Index", "py-modindex": "Python modules"}

#: A page's own description, its attributes in either order (docutils writes them sorted).
_META_DESCRIPTION = re.compile(r'<meta\s(?=[^>]*\bname="description")[^>]*\bcontent="([^"]*)"')


def add_description(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The page's meta description (its own, or its first paragraph's), and the link
    previews' (og:description) the same."""
    metatags = context.get("metatags", "")
    found = _META_DESCRIPTION.search(metatags)
    if found:
        description = html.unescape(found[1])
    else:
        description = page_description(doctree) if doctree is not None else ""
        if not description:  # Sphinx's own pages (search, index): what they are for
            purpose = GENERATED_PAGES.get(pagename, "{title}, on {site}.")
            description = purpose.format(title=context.get("title", ""), site=app.config.html_title)
        tag = f'<meta name="description" content="{html.escape(description, quote=True)}" />'
        context["metatags"] = f"{metatags}\n{tag}\n"
    # sphinxext-opengraph takes og: fields of the page's metadata over its own
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    if doctree is None:  # a page sphinxext-opengraph leaves out: its link preview here
        tags = {
            "og:title": text_of(context.get("title") or "")
            or GENERATED_TITLES.get(pagename, app.config.html_title),
            "og:type": app.config.ogp_type,
            "og:site_name": app.config.project,
            "og:description": description,
        }
        if app.config.ogp_site_url:
            tags["og:url"] = app.config.ogp_site_url + app.builder.get_target_uri(pagename)
        context["metatags"] += "".join(
            f'<meta property="{name}" content="{html.escape(value, quote=True)}" />\n'
            for name, value in tags.items()
        )


# --- the built pages, trimmed ---------------------------------------------------------

_ICON_SCRIPT = re.compile(
    r"[ \t]*(?:<!-- So that users can add custom icons -->\s*)?"
    r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)
_SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)">'
    r"</script>\n?"
)
_OPTIONS_SCRIPT = re.compile(r'<script src="[^"]*_static/documentation_options\.js[^"]*"></script>')
_HEAD_SCRIPT = re.compile(r"<script (?![^>]*\b(?:defer|async|type=))([^>]*\bsrc=\"[^\"]+\"[^>]*)>")
_IMG = re.compile(r"<img (?![^>]*\bwidth=)([^>]*?)\s*/?>")
_LITERAL = re.compile(
    r'(<code class="docutils literal notranslate">)((?:<span class="pre">[^<]*</span>|\s)+)</code>'
)
#: A word of inline code needs its own ``span.pre`` (``white-space: nowrap``) only where a
#: browser could break the line inside it (Unicode's line-breaking rules): after a hyphen
#: or dash, a slash, ``?``, ``!``, ``|`` or ``}``.
_BREAKABLE = re.compile(r"[-/?!|}\u2010-\u2014]")


def merge_literal_words(page: str) -> str:
    """Inline code without a ``span.pre`` around each word that a line cannot break in.

    Sphinx writes each word of inline code in its own ``<span class="pre">`` so that a
    line breaks between the words, not inside one. A word of letters, digits, dots,
    brackets, ``_`` and ``=`` has no break inside it anyway; its span only adds to the
    page's elements, which a browser lays out and an accessibility checker walks (a
    quarter of the elements of questions/errors).

    >>> merge_literal_words('<code class="docutils literal notranslate"><span class="pre">'
    ...     'LSTM(3,</span> <span class="pre">--no-deps</span></code>')
    '<code class="docutils literal notranslate">LSTM(3, <span class="pre">--no-deps</span></code>'
    """

    def merged(match: re.Match[str]) -> str:
        words = re.sub(
            r'<span class="pre">([^<]*)</span>',
            lambda word: word[0] if _BREAKABLE.search(word[1]) else word[1],
            match[2],
        )
        return f"{match[1]}{words}</code>"

    return _LITERAL.sub(merged, page)


_LINK = re.compile(r"<link\s[^>]*>")
_HREF = re.compile(r'\bhref="([^"]*)"')


def optimise_page(
    page: str,
    *,
    documentation_options: str | None = None,
    image_size: Callable[[str], tuple[int, int] | None] = lambda src: None,
    stylesheet: Callable[[str], str | None] = lambda href: None,
    keep_search: bool = False,
) -> str:
    """A built page (HTML) with less to load before it shows, and no icon script.

    - The theme's icon script is dropped: its CSS and web font draw the same icons.
    - The viewport is set once (:func:`drop_repeated_viewport`).
    - Inline code keeps a ``span.pre`` only around a word a line could break in
      (:func:`merge_literal_words`).
    - Sphinx's search scripts and index are dropped, unless ``keep_search`` (the search
      page, or search as you type): the search box sends the reader to the search page.
    - ``documentation_options`` (the script's text) is written into the page, so that the
      inline scripts after it still find it once every script in the head is deferred.
    - Each image gets its ``width`` and ``height`` (``image_size(src)``, in pixels) and
      decodes off the main thread; all but the first load lazily.
    - Each stylesheet link points where ``stylesheet(href)`` says (the sheet's copy cut to
      what the site uses, :func:`optimise_styles`), unless it says None.

    >>> page = ('<head><link rel="stylesheet" href="_static/a.css?v=0" />'
    ...     '<script src="_static/documentation_options.js?v=1"></script>'
    ...     '<script src="_static/doctools.js?v=2"></script>'
    ...     '<script>DOCUMENTATION_OPTIONS.pagename = "x";</script></head>'
    ...     '<body><img alt="a" src="_images/a.png" /><img alt="b" src="_images/b.png" /></body>')
    >>> print(optimise_page(page, documentation_options="const DOCUMENTATION_OPTIONS = {};",
    ...     image_size=lambda src: (640, 480), stylesheet=lambda href: "_static/a.trimmed.css?v=3",
    ... ).replace("><", ">\\n<"))
    <head>
    <link rel="stylesheet" href="_static/a.trimmed.css?v=3" />
    <script>const DOCUMENTATION_OPTIONS = {};</script>
    <script defer src="_static/doctools.js?v=2">
    </script>
    <script>DOCUMENTATION_OPTIONS.pagename = "x";</script>
    </head>
    <body>
    <img alt="a" src="_images/a.png" width="640" height="480" decoding="async" />
    <img alt="b" src="_images/b.png" width="640" height="480" decoding="async" loading="lazy" />
    </body>
    """
    page = merge_literal_words(drop_repeated_viewport(_ICON_SCRIPT.sub("", page)))
    if not keep_search:
        page = _SEARCH_SCRIPTS.sub("", page)
    head_end = page.find("</head>")
    if head_end >= 0:
        head, body = page[:head_end], page[head_end:]
        if documentation_options is not None:
            inline = documentation_options.strip().replace("</", "<\\/")
            head = _OPTIONS_SCRIPT.sub(lambda _: f"<script>{inline}</script>", head)
        if not _OPTIONS_SCRIPT.search(head):  # deferred, it would come after its users
            head = _HEAD_SCRIPT.sub(r"<script defer \1>", head)
        page = head + body

    def relinked(match: re.Match[str]) -> str:
        tag = match[0]
        href = _HREF.search(tag)
        if not (href and re.search(r'\brel="stylesheet"', tag)):
            return tag
        new = stylesheet(html.unescape(href[1]))
        if new is None:
            return tag
        return tag[: href.start(1)] + html.escape(new, quote=True) + tag[href.end(1) :]

    page = _LINK.sub(relinked, page)
    count = 0

    def sized(match: re.Match[str]) -> str:
        nonlocal count
        attributes = match[1]
        src = re.search(r'\bsrc="([^"]+)"', attributes)
        size = image_size(html.unescape(src[1])) if src else None
        if size is None:
            return match[0]
        count += 1
        extra = f' width="{size[0]}" height="{size[1]}" decoding="async"'
        if count > 1 and "loading=" not in attributes:
            extra += ' loading="lazy"'
        return f"<img {attributes}{extra} />"

    return _IMG.sub(sized, page)


def image_size(path: Path) -> tuple[int, int] | None:
    """A PNG's, GIF's or JPEG's size in pixels, from its header (None for other files).

    >>> import tempfile, zlib
    >>> png = (b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR"
    ...     + struct.pack(">IIBBBBB", 640, 480, 8, 6, 0, 0, 0))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.png").write_bytes(png)
    ...     image_size(Path(tmp) / "a.png")
    (640, 480)
    """
    try:
        with path.open("rb") as file:
            head = file.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                width, height = struct.unpack(">II", head[16:24])
                return width, height
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return struct.unpack("<HH", head[6:10])
            if head.startswith(b"\xff\xd8"):
                from PIL import Image

                with Image.open(path) as image:
                    return image.size
    except OSError:
        return None
    return None


_VIEWPORT = re.compile(r'[ \t]*<meta name="viewport"[^>]*>\n?')


def drop_repeated_viewport(page: str) -> str:
    r"""``page`` with its first viewport meta tag only: the theme and Sphinx each write one.

    >>> drop_repeated_viewport('<meta name="viewport" content="a" /><meta name="viewport"'
    ...     ' content="b" />\n<title>x</title>\n  <meta name="viewport" content="c"/>\n')
    '<meta name="viewport" content="a" /><title>x</title>\n'
    """
    seen = False

    def first_only(match: re.Match[str]) -> str:
        nonlocal seen
        keep, seen = not seen, True
        return match[0] if keep else ""

    return _VIEWPORT.sub(first_only, page)


# --- the stylesheets and icon fonts, cut to what the site uses --------------------------

# A string, or a comment other than a /*! licence */ one (kept, as minifiers keep them)
_STRING_OR_COMMENT = re.compile(
    r'("(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\')|/\*(?!!).*?\*/', re.DOTALL
)
_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', re.DOTALL)
#: At-rules whose block holds rules (trimmed like the sheet), not declarations (kept whole).
GROUPING_RULES = frozenset(
    {"media", "supports", "container", "layer", "document", "-moz-document", "scope"}
)
_WORD = re.compile(r"[\w-]+")
_NAME = re.compile(r"[.#](-?[A-Za-z_\u00a0-\uffff][\w\u00a0-\uffff-]*)")


def _skip_string(css: str, start: int) -> int:
    """The index just past the string that opens at ``css[start]``."""
    quote, index = css[start], start + 1
    while index < len(css) and css[index] != quote:
        index += 2 if css[index] == "\\" else 1
    return index + 1


def css_statements(css: str) -> list[tuple[str, str | None]]:
    """``css``'s top-level statements, in order: ``(prelude, block)`` for a rule or an at-rule
    with a block (the text between its braces), ``(statement, None)`` for one without
    (``@import``, ``@charset``) and for a ``/*! licence */`` comment. Other comments go.

    >>> css_statements('@charset "x";/* c */ a, b{color:red}@media (x){.c{top:0}}/*! L */')
    [('@charset "x"', None), ('a, b', 'color:red'), ('@media (x)', '.c{top:0}'), ('/*! L */', None)]
    """
    css = _STRING_OR_COMMENT.sub(lambda match: match[1] or "", css)
    statements: list[tuple[str, str | None]] = []
    start = depth = parens = 0
    opened = index = 0
    while index < len(css):
        char = css[index]
        if char in "\"'":
            index = _skip_string(css, index)
            continue
        if depth == 0 and css.startswith("/*", index):  # a licence comment, on its own
            end = css.find("*/", index + 2)
            end = len(css) if end < 0 else end + 2
            statements.append((css[index:end], None))
            start = index = end
            continue
        if char == "(":
            parens += 1
        elif char == ")":
            parens = max(parens - 1, 0)
        elif char == "{":
            if depth == 0:
                opened = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                statements.append((css[start:opened].strip(), css[opened + 1 : index]))
                start = index + 1
        elif char == ";" and depth == 0 and parens == 0:
            if css[start:index].strip():
                statements.append((css[start:index].strip(), None))
            start = index + 1
        index += 1
    if css[start:].strip():
        statements.append((css[start:].strip(), None))
    return statements


def _split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside strings, parentheses and brackets."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _required_names(selector: str) -> set[str] | None:
    """The class names and ids an element needs to match ``selector``; None when unsure
    (an escaped name). Attribute selectors and the arguments of pseudo-classes
    (``:not(.x)``, ``:is(.a, .b)``) are left out: they need no name of their own."""
    if "\\" in selector:
        return None
    plain, depth = [], 0
    for char in _STRING.sub("", selector):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            plain.append(char)
    return set(_NAME.findall("".join(plain)))


def selector_used(selector: str, words: Container[str]) -> bool:
    """Whether ``selector`` may match something on the site: each class name and id it
    needs is one of ``words`` (what the site's pages and scripts say).

    >>> words = {"navbar", "fa-sun", "show"}
    >>> selector_used(".navbar .fa-sun:before", words), selector_used(".fa-moon", words)
    (True, False)
    >>> selector_used("html[data-theme=dark] .navbar:not(.collapsed)", words)
    True
    >>> selector_used(":is(.fas,.fa-solid):before", words)  # arguments: not needed
    True
    """
    names = _required_names(selector)
    return names is None or all(name in words for name in names)


def trim_css(css: str, words: Container[str]) -> str:
    r"""``css`` without the selectors that match nothing on the site (:func:`selector_used`),
    the rules left with no selector, and grouping at-rules (``@media``) left empty.
    Other at-rules (``@font-face``, ``@keyframes``) and licence comments are kept; other
    comments (a source map's address, which no longer fits) go. One statement a line.

    >>> print(trim_css(
    ...     "/*! Licence */\n.a,.b{top:0}.c{top:1}@media (x){.c{top:2}}@media (y){.a{top:3}}"
    ...     "@font-face{font-family:F}\n/*# sourceMappingURL=x.css.map*/", {"a"}))
    /*! Licence */
    .a{top:0}
    @media (y){.a{top:3}}
    @font-face{font-family:F}
    """
    kept = []
    for prelude, block in css_statements(css):
        if block is None:
            kept.append(prelude if prelude.startswith("/*") else prelude + ";")
        elif prelude.startswith("@"):
            name = re.match(r"@([\w-]+)", prelude)
            if name and name[1].lower() in GROUPING_RULES and "{" in block:
                inner = trim_css(block, words)
                if inner:
                    kept.append(f"{prelude}{{{inner}}}")
            elif not name or name[1].lower() not in GROUPING_RULES:
                kept.append(f"{prelude}{{{block}}}")
        elif "{" in block:  # nested rules (CSS nesting): kept whole
            kept.append(f"{prelude}{{{block}}}")
        else:
            selectors = [
                selector.strip()
                for selector in _split_top_level(prelude, ",")
                if selector_used(selector.strip(), words)
            ]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{block}}}")
    return "\n".join(kept)


def _declarations(css: str) -> Iterator[tuple[str, str]]:
    """Every ``(property, value)`` of ``css``'s rules, in grouping at-rules too."""
    for prelude, block in css_statements(css):
        if block is None:
            continue
        if "{" in block:
            yield from _declarations(block)
            continue
        if prelude.startswith("@"):  # @font-face, @page: no content, no custom property
            continue
        for declaration in _split_top_level(block, ";"):
            name, colon, value = declaration.partition(":")
            if colon:
                yield name.strip(), value.strip()


def _css_text(string: str) -> str:
    r"""The text of a CSS string literal (``"\f015"`` -> U+F015)."""

    def unescape(match: re.Match[str]) -> str:
        if match[1]:
            code = int(match[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match[2]

    return re.sub(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", unescape, string[1:-1], flags=re.DOTALL)


def drawn_characters(css: str) -> set[str]:
    r"""The characters ``css`` draws with ``content``: its strings, and those of the custom
    properties it names there (``content: var(--fa)``), followed through other properties.

    >>> sorted(drawn_characters(
    ...     '.a:before{content:var(--icon)}.x{--icon:var(--sun)}:root{--sun:"\\f185";'
    ...     '--moon:"\\f186"}.b:after{content:"\\2014 "}'))
    ['—', '\uf185']
    """
    properties: dict[str, list[str]] = {}
    contents = []
    for name, value in _declarations(css):
        if name.startswith("--"):
            properties.setdefault(name, []).append(value)
        elif name.lower() == "content":
            contents.append(value)
    characters: set[str] = set()
    followed: set[str] = set()
    while contents:
        value = contents.pop()
        for string in _STRING.findall(value):
            characters.update(_css_text(string))
        for name in re.findall(r"var\(\s*(--[\w-]+)", value):
            if name not in followed:
                followed.add(name)
                contents.extend(properties.get(name, []))
    return characters


#: A font is an icon font when at least this share of its characters are private-use ones.
ICON_FONT_SHARE = 0.5


def subset_icon_font(font: bytes, characters: set[str]) -> bytes | None:
    """An icon font (WOFF2, WOFF, TrueType) cut to ``characters``, as WOFF2; None for a font
    that is not an icon font (most of its characters outside Unicode's private use area:
    a text font is left whole) or when fontTools cannot write WOFF2 (Brotli missing)."""
    import io
    import logging as std_logging

    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.woff2 import haveBrotli
    except ImportError:
        return None
    if not haveBrotli:
        return None
    # fontTools reports each table it prunes at INFO: not a line in the build's log
    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)
    loaded = TTFont(io.BytesIO(font), recalcTimestamp=False)  # the same cut, byte for byte
    mapped = loaded.getBestCmap() or {}
    private = sum(0xE000 <= code <= 0xF8FF or code >= 0xF0000 for code in mapped)
    if not mapped or private < ICON_FONT_SHARE * len(mapped):
        return None
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # the licence and the names stay
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(char) for char in characters} & set(mapped)))
    subsetter.subset(loaded)
    loaded.flavor = "woff2"
    out = io.BytesIO()
    loaded.save(out)
    return out.getvalue()


_FONT_FACE_URL = re.compile(
    r"""url\(\s*(["']?)([^"')?#]+\.(?:woff2|woff|ttf|otf))(?:[?#][^"')]*)?\1\s*\)"""
    r"(?:\s*format\([^)]*\))?"
)
SUBSET_SUFFIX = ".subset.woff2"


def subset_site_fonts(css: str, css_path: Path, characters: set[str]) -> str:
    """``css`` (the sheet at ``css_path``) with each icon font of its ``@font-face`` rules cut
    to ``characters`` (:func:`subset_icon_font`), written beside the font as
    ``NAME.subset.woff2``, and the rule's ``src`` pointing there (with a digest, so that a
    cached older cut is not used)."""
    import hashlib

    def font_face(match: re.Match[str]) -> str:
        rule = match[0]

        def subset_url(found: re.Match[str]) -> str:
            source = (css_path.parent / found[2]).resolve()
            if "://" in found[2] or not source.is_file():
                return found[0]
            font = subset_icon_font(source.read_bytes(), characters)
            if font is None:
                return found[0]
            target = source.with_name(source.name.split(".")[0] + SUBSET_SUFFIX)
            target.write_bytes(font)
            digest = hashlib.sha256(font).hexdigest()[:12]
            relative = found[2].rsplit("/", 1)
            relative[-1] = target.name
            return f'url({"/".join(relative)}?v={digest}) format("woff2")'

        return _FONT_FACE_URL.sub(subset_url, rule)

    return re.sub(r"@font-face\s*\{[^}]*\}", font_face, css)


_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(["']?)([^"')\s;]+)\1\s*\)?\s*;""")
_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


def inline_imports(css: str, css_path: Path) -> str:
    r"""``css`` (the sheet at ``css_path``) with each ``@import`` of a local sheet, for all
    media, replaced by that sheet (its relative ``url()`` rewritten to fit): one request
    fewer, and one fewer in a row, before the page can show.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "basic.css").write_text('@charset "utf-8";\na{background:url(x.png)}')
    ...     (Path(tmp) / "styles").mkdir()
    ...     inline_imports('@import "../basic.css";\nb{top:0}', Path(tmp) / "styles" / "t.css")
    '\na{background:url(../x.png)}\nb{top:0}'
    """
    import os

    def inline(match: re.Match[str]) -> str:
        target = (css_path.parent / match[2]).resolve()
        if "://" in match[2] or match[2].startswith("/") or not target.is_file():
            return match[0]

        def moved(url: re.Match[str]) -> str:
            address = url[2].strip()
            if re.match(r"[a-z][\w+.-]*:|/|#", address, re.IGNORECASE):  # data:, absolute, fragment
                return url[0]
            path = os.path.relpath(target.parent / address, css_path.parent)
            return f"url({url[1]}{Path(path).as_posix()}{url[1]})"

        imported = re.sub(r'^\s*@charset\s+"[^"]*"\s*;', "", target.read_text(encoding="utf-8"))
        return _URL.sub(moved, imported)

    return _IMPORT.sub(inline, css)


TRIMMED_SUFFIX = ".trimmed.css"


def page_stylesheets(page: str) -> list[str]:
    """The addresses of the stylesheets ``page`` links, in its head or its body.

    >>> page_stylesheets('<link rel="stylesheet" href="_static/a.css?v=1" />'
    ...     '<link rel="icon" href="f.svg"/><link href="../b.css" rel="stylesheet">')
    ['_static/a.css?v=1', '../b.css']
    """
    return [
        html.unescape(href[1])
        for tag in _LINK.findall(page)
        if re.search(r'\brel="stylesheet"', tag) and (href := _HREF.search(tag))
    ]


def original_stylesheet(path: Path) -> Path:
    """The sheet that ``path`` is the trimmed copy of (a page built before links it), else
    ``path`` itself."""
    if path.name.endswith(TRIMMED_SUFFIX):
        source = path.with_name(path.name.removesuffix(TRIMMED_SUFFIX) + ".css")
        if source.is_file():
            return source
    return path


def optimise_styles(sheets: Iterable[Path], words: Container[str]) -> dict[Path, str]:
    """Write beside each of ``sheets`` its copy cut to what the site uses (``NAME.trimmed.css``:
    :func:`inline_imports`, then :func:`trim_css`), with its icon fonts cut to the icons these
    rules draw (:func:`subset_site_fonts`); return each sheet's copy, as the file name with a
    digest (``NAME.trimmed.css?v=...``) that a page links instead.

    The sheets themselves are left as they are: Sphinx and its extensions copy them into
    the site on each build, and some refuse to overwrite a file that has changed.
    """
    import hashlib

    trimmed = {
        path: trim_css(inline_imports(path.read_text(encoding="utf-8"), path), words)
        for path in sorted(set(sheets))
    }
    characters = set().union(*(drawn_characters(css) for css in trimmed.values()))
    copies = {}
    for path, css in trimmed.items():
        cut = (subset_site_fonts(css, path, characters) if "@font-face" in css else css) + "\n"
        target = path.with_name(path.name.removesuffix(".css") + TRIMMED_SUFFIX)
        target.write_text(cut, encoding="utf-8")
        copies[path] = f"{target.name}?v={hashlib.sha256(cut.encode()).hexdigest()[:12]}"
    return copies


_TEMPLATE = re.compile(r"`([^`]*)`")
_JOINED = re.compile(r"""(["'])([A-Za-z_][\w-]*-)\1\s*\+|\+\s*(["'])(-[\w-]+)\3""")


def composed_names(script: str) -> list[str]:
    r"""Patterns (regular expressions) of the class names ``script`` composes: from a
    template (```bs-${name}-auto``` -> ``bs-[\w-]*-auto``), or joined to a string that
    ends or starts with a hyphen (``"icon-" + name``). Templates that are not a name
    (a selector, a message) and those with too little text of their own are left out.

    >>> composed_names('e.classList.add(`bs-${this.constructor.NAME}-auto`);'
    ...     'q(`.${n}`); w(`${t}`); x("icon-" + name); y(a + "-end")')
    ['bs\\-[\\w-]*\\-auto', 'icon\\-[\\w-]*', '[\\w-]*\\-end']
    """
    patterns = []
    for template in _TEMPLATE.findall(script):
        parts = re.split(r"\$\{[^}]*\}", template)
        text = "".join(parts)
        if len(parts) > 1 and re.fullmatch(r"[\w-]*", text) and len(re.sub(r"\W", "", text)) > 1:
            patterns.append(r"[\w-]*".join(re.escape(part) for part in parts))
    for joined in _JOINED.finditer(script):
        if joined[2]:
            patterns.append(re.escape(joined[2]) + r"[\w-]*")
        else:
            patterns.append(r"[\w-]*" + re.escape(joined[4]))
    return patterns


class SiteNames:
    r"""The names an element of the site can have: the words of its pages and scripts,
    and the names its scripts compose (:func:`composed_names`); ``name in names``.

    >>> names = SiteNames({"navbar"}, [r"bs-[\w-]*-auto"])
    >>> "navbar" in names, "bs-tooltip-auto" in names, "bs-tooltip" in names
    (True, True, False)
    """

    def __init__(self, words: Iterable[str], patterns: Iterable[str] = ()) -> None:
        self.words = set(words)
        patterns = sorted(set(patterns))
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def __contains__(self, name: object) -> bool:
        if name in self.words:
            return True
        return isinstance(name, str) and bool(self.pattern and self.pattern.fullmatch(name))


def site_names(pages: Iterable[str], scripts: Iterable[str]) -> SiteNames:
    """What the site's ``pages`` and ``scripts`` (their text) say (:class:`SiteNames`): every
    class name or id an element can have (a script may add one), and more (prose), which
    only keeps a rule too many.

    >>> names = site_names(['<i class="fa-solid fa-sun">'], ['e.classList.add(`bs-${x}-auto`)'])
    >>> "fa-sun" in names, "bs-tooltip-auto" in names, "fa-moon" in names
    (True, True, False)
    """
    words: set[str] = set()
    patterns: list[str] = []
    for text in pages:
        words.update(_WORD.findall(text))
    for text in scripts:
        words.update(_WORD.findall(text))
        patterns.extend(composed_names(text))
    return SiteNames(words, patterns)


def optimise_site(app: Any, exception: Exception | None) -> None:
    """Rewrite every built page in one pass: name its navigation toggles
    (:func:`lstm_site.label_nav_toggles`), trim it (:func:`optimise_page`) and link the copies
    of its stylesheets cut to what the site uses (:func:`optimise_styles`); write robots.txt.
    """
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    options_file = outdir / "_static" / "documentation_options.js"
    options = options_file.read_text(encoding="utf-8") if options_file.exists() else None
    search_as_you_type = str(app.config.html_theme_options.get("search_as_you_type", "")).lower()
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (outdir / "_static" / "scripts" / name).unlink(missing_ok=True)
    pages = {path: path.read_text(encoding="utf-8") for path in outdir.rglob("*.html")}
    # the icon script is gone: it named every icon, the pages name theirs
    scripts = (
        path.read_text(encoding="utf-8", errors="replace")
        for path in outdir.rglob("*.js")
        if path.name != "searchindex.js"  # the pages' words, not names
    )
    names = site_names(pages.values(), scripts)

    def local_sheet(href: str, folder: Path) -> Path | None:
        address = href.split("?", 1)[0].split("#", 1)[0]
        if "://" in href or href.startswith(("/", "data:")) or not address.endswith(".css"):
            return None
        path = original_stylesheet((folder / address).resolve())
        return path if path.is_file() else None

    sheets = {
        sheet
        for path, text in pages.items()
        for href in page_stylesheets(text)
        if (sheet := local_sheet(href, path.parent))
    }
    copies = optimise_styles(sheets, names)
    for path, text in pages.items():

        def size(src: str, folder: Path = path.parent) -> tuple[int, int] | None:
            if "://" in src or src.startswith("data:"):
                return None
            return image_size((folder / src.split("?", maxsplit=1)[0]).resolve())

        def stylesheet(href: str, folder: Path = path.parent) -> str | None:
            sheet = local_sheet(href, folder)
            if sheet is None or sheet not in copies:
                return None
            folder_part = href.split("?", 1)[0].rpartition("/")[0]
            return f"{folder_part}/{copies[sheet]}" if folder_part else copies[sheet]

        trimmed = optimise_page(
            label_nav_toggles(text),
            documentation_options=options,
            image_size=size,
            stylesheet=stylesheet,
            keep_search=path == outdir / "search.html" or search_as_you_type == "true",
        )
        if trimmed != text:
            path.write_text(trimmed, encoding="utf-8")
    # sphinx-sitemap is set up only where the site's address is known (docs/conf.py)
    sitemap = getattr(app.config, "sitemap_filename", None)
    base = app.config.html_baseurl if sitemap else None
    (outdir / "robots.txt").write_text(
        robots_txt(base or None, sitemap or "sitemap.xml"), encoding="utf-8"
    )


_OG_URL = re.compile(r'<meta property="og:url" content="[^"]*" />\n?')


def drop_relative_og_url(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """No og:url where the site's address is unknown: a relative one is no address."""
    if not app.config.ogp_site_url and "metatags" in context:
        context["metatags"] = _OG_URL.sub("", context["metatags"])


def setup(app: Any) -> dict[str, Any]:
    """Register the MathML renderer, the meta description and the trimming of pages."""
    app.add_html_math_renderer(
        "mathml", inline_renderers=(visit_math, None), block_renderers=(visit_displaymath, None)
    )
    # before sphinxext-opengraph (priority 500), which takes the description from here
    app.connect("html-page-context", add_description, priority=450)
    app.connect("html-page-context", drop_relative_og_url, priority=600)
    # after the other extensions' (priority 500): the theme rewrites pygments.css then
    app.connect("build-finished", optimise_site, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
