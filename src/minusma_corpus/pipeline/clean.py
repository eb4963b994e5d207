"""Cleaning: a raw plain-text news article (as copied from a web page) -> ``CleanDocument``.

The rules are about the shape and wording of web-page furniture that recurs across news sites, not
about particular files:

1. **Line wording.** Navigation ("Skip to content"), prompts ("No time to read?", "Share this",
   "2 mins read"), photo captions with a credit ("...Image: X/REUTERS", "Photo Source: X"),
   bylines ("By X"), contributor/editor credits, correction notes and stand-alone dates are
   recognised by patterns and moved to metadata.
2. **Notices.** Lines that speak to the reader about the site (newsletter and subscription
   prompts, paywalls, cookie and browser notices, consent check boxes), copyright footers and tag
   lists are furniture wherever they are (``boilerplate.py``).
3. **Main body.** jusText's stop-word density classifier (its English stop-word list and default
   thresholds) tells running text from link text; the main body is the stretch of lines where running
   text outweighs unexplained furniture (maximum-sum segment, ``_body_extent``).
4. **End of the article.** A hard end marker ("Leave a Reply", "20 thoughts on ...", "Previous
   Article", "About the author") from the main body's start on ends the article; another end marker
   ("Related", "Most read", "More on this story", "Tags:") ends it only after the main body: inside
   it, it opens a block of related links (the marker and the short lines after it). What follows the
   end is furniture: author bios and the outlet's self-description go to metadata, the rest (link
   lists of other headlines) is dropped. After the main body and before the end, short lines are
   links and labels, and prose stays only where jusText keeps it in context.
5. **Structure.** A *prose* line ends in sentence punctuation or is long. The article body starts
   at the first prose line. Before it: a breadcrumb trail ("Home | World | Africa", or a line that
   ends with a later line, "Home World <headline>") is navigation; the title is the best
   headline-like line standing alone in its group (several words, not all capitalised when short,
   no interface words such as "Sign in" or "Menu", no time of day or form control, not the site's
   "our"; four words or more beat three); the groups before it are masthead (a group of several
   short lines is a menu or masthead); a name-shaped line after the title is the byline. A dateline
   opening the first paragraph ("TIMBUKTU, Mali —", "BAMAKO, Mali (Reuters) –") gives
   ``metadata.dateline``; it stays in the text. In the body,
   short lines are headings, except a line directly before a caption credit (the image's
   description), a short line between the first and second body paragraphs (a lead image's
   description: a section heading needs a section before it), runs of three or more short
   lines (link lists) and bulleted short lines (links to other stories: headings carry no bullet).

Every removed line is kept in ``CleanDocument.furniture`` with its kind, so the cleaning can be
audited line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ..errors import MinusmaError
from . import boilerplate
from .records import Block, Caption, CleanDocument, Credit, DocumentMetadata, Furniture, OffsetSegment
from .repair import align, repair_text


class CleaningError(MinusmaError):
    """Raised when a raw article cannot be cleaned (empty, or no recognisable body)."""

    hint = "check that the file is the text of a news article (see README, Adding an article)"


# --------------------------------------------------------------------------------------------
# Wording patterns
# --------------------------------------------------------------------------------------------

_LIST_NUMBER = r"(?:\d{1,2}[.)]\s*)?"

NAVIGATION = re.compile(
    rf"^{_LIST_NUMBER}(?:skip to\b|jump to (?:content|navigation|main)|(?:main |site )?(?:menu|navigation)$|"
    r"toggle (?:navigation|menu)|back to top$|search$|home$)",
    re.I,
)
PROMPT = re.compile(
    r"^(?:no time to read\??|get (?:a|the) summary|listen to (?:this|the) (?:article|story)|"
    r"share(?: this| on| via| the)?(?: article| story| post| page)?(?: on \w+)?:?|print(?: bookmark)?|bookmark|"
    r"click here\b.*|advertisement|sponsored|read more\b.*|continue reading\b.*|"
    r"sign up\b.*|subscribe\b.*|follow us\b.*|\d+\s*(?:min|mins|minutes?)(?: read)?|"
    r"(?:estimated )?reading time:? ?\d+ ?(?:min|mins|minutes?)|"
    r"for (?:any )?(?:further|more) information\b.*\b(?:subscribe|email|e-mail|contact)\b.*)$",
    re.I,
)
END_MARKER = re.compile(
    r"^(?:leave a (?:reply|comment)|(?:\d+ )?comments?|post a comment|previous (?:article|post|story)|"
    r"next (?:article|post|story)|about the authors?|print bookmark|related(?: articles?| stories| posts| content| topics)?:?|"
    r"more (?:from|on) .{1,40}|you (?:may|might) also like:?|recommended(?: for you)?|most (?:read|popular)|"
    r"don['’]t miss|read (?:next|also):?|see also:?|trending(?: now)?|latest (?:news|stories|articles))$",
    re.I,
)
COMMENT_FORM = re.compile(
    r"^(?:your email address will not be published|required fields are marked|"
    r"save my name, email|you must be logged in)",
    re.I,
)
# End markers that always end the article (comments, author box, pagination); the others (related
# stories, "Most read", "See also", ...) end it only after the main body: inside it they open a
# block of related links.
HARD_END_MARKER = re.compile(
    r"^(?:(?:leave a (?:reply|comment)|(?:\d+ )?comments?|post a comment|about the authors?|print bookmark)$|"
    # A comment section's header: "20 thoughts on “Title”", "3 Responses to Title".
    r"\d+ (?:thoughts?|responses?|replies|comments?) (?:on|to)\b|"
    # "Previous article", also glued to the headline it links to: "Next articleChina plans ..."
    r"(?:previous|next) (?:article|post|story)(?:$|(?-i:[A-Z“\"‘'])))",
    re.I,
)
COMMENT_COUNT = re.compile(r"^(?:\d+ )?comments?$", re.I)
# An author box: "About the author", "About Jane Doe" (a name-shaped line of two to four words).
BIO_MARKER = re.compile(r"^(?:(?i:about the authors?)|About [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})$")
# A lead-in to links to other stories inside the body: "Read more", "See also: ...", "Watch more".
RELATED_LEAD = re.compile(r"^(?:read|see|watch|listen)(?: (?:more|also|next))\b|^more (?:on|from|about)\b", re.I)
# A bullet that marks a list item (not a numbered section heading).
BULLET_MARK = re.compile(r"^[•□■▪▫◦●○‣∙]\s*")

# A caption line ends in an image credit: "...criticismImage: Fatoma Coulibaly/REUTERS",
# "Photo Source: Adama Diarra, Reuters", "A vehicle in Aguelhock. Image: MINUSMA / Harandane Dicko".
CAPTION_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*\(?(?:Image|Photo(?:graph)?|Picture|Foto|Pic)(?:\s+(?:source|credits?|by))?\s*:\s*"
    r"(?P<credit>[^.!?:;]{2,120}?)\)?$",
    re.I,
)
PHOTO_BY = re.compile(r"^\(?(?:photo(?:graph)?|image|picture)s? by\s+(?P<credit>[^.!?:;]{2,120}?)\)?$", re.I)

BYLINE = re.compile(r"^by\s+(?P<names>[A-Z][^.!?:;]{1,100})$", re.I)
CONTRIBUTED = re.compile(
    r"^(?P<names>.+?)\s+contributed (?:reporting )?to this (?:article|report|story)\.?$", re.I
)
# "(Reporting by Edward McAllister; Editing by Alison Williams)", "Additional reporting by X",
# "Edited by: X", "Writing by X".
_ROLES = r"(?:additional )?reporting|writing|editing|edited|written|compiled|translated|fact-checked|produced"
ROLE_CREDIT_LINE = re.compile(rf"^\(?(?:{_ROLES})\s+by\b.*$", re.I)
ROLE_CREDIT = re.compile(
    rf"(?P<role>{_ROLES})\s+by:?\s*(?P<names>[^;()]+)",
    re.I,
)
CORRECTION = re.compile(
    r"^(?:correction:|clarification:|update:|editor['’]s note:|"
    r"(?:this|the) (?:article|story|report|piece) (?:was|has been) (?:corrected|updated|amended)\b|"
    r"an? (?:earlier|previous) version of this (?:article|story|report))",
    re.I,
)
DATELINE_AGENCY = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{1,40}?)(?:,\s*[A-Z][\w .'-]{1,30}?)?,?\s*\((?P<agency>[A-Z][\w&.' -]{1,30})\)\s*[-–—]"
)
SELF_DESCRIPTION = re.compile(
    r"^(?P<name>(?:The )?[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,5}) is an? [^.]{0,120}?\b"
    r"(?:publication|magazine|newspaper|news (?:site|outlet|agency|organi[sz]ation|website|source)|"
    r"media (?:outlet|organi[sz]ation|company)|website|broadcaster|think[- ]tank|journal)\b",
)
SKIP_TO_SITE = re.compile(r"skip to more (?P<outlet>.+?) sites$", re.I)
# A dateline opening the first paragraph: "TIMBUKTU, Mali — ", "BAMAKO, Mali (Reuters) – " (the
# latter also matches ``DATELINE_AGENCY``): an upper-case place, then a country or an agency, then a dash.
DATELINE_PLACE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,3}),\s*[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
    r"(?:\s*\([A-Z][\w&.' -]{1,30}\))?(?:\s+-|\s*[–—])\s"
)
# A navigation trail: "Home | World | Africa", "Home > News > Mali", "News » Africa » Headline".
_TRAIL_SEPARATOR = re.compile(r"\s*(?:\||>|»|›)\s*")
# Words of the site's interface, not of a story: a line with one of them is no headline.
INTERFACE_WORDS = re.compile(
    r"\b(?:log ?in|log ?out|sign (?:in|out|up)|signin|login|logout|register(?:ed)?|my account|password|"
    r"home ?page|menu|navigation|newsletters?|subscribe|subscriptions?)\b",
    re.I,
)
# A time of day or a form control ("[ ]", "[Search]"), an address: page furniture, not a headline.
_NOT_HEADLINE = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b|\[|\]|https?://|www\.", re.I)
# The site speaking of itself ("Discover our latest picks"), outside a quotation: no headline.
_SITE_VOICE = re.compile(r"\b(?:our|ours)\b", re.I)
_QUOTE = re.compile(r"[\"“”‘’']")
ACRONYM_NAME = re.compile(r"^(?P<name>[A-Z][\w-]*(?: (?:of|for|and|the|on|in|de|des|du|la|le|[A-Z][\w-]*))+) \((?P<acronym>[A-Z]{2,10})\)$")

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE_LINE = re.compile(
    rf"^(?:(?:published|updated|posted)(?: on)?:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?"
    rf"(?P<date>(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} (?:{_MONTHS})\.?,? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:\s*(?:[-–|,]\s*)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?$",
    re.I,
)

_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")

# A prose line: sentence-final punctuation and at least this many words, or longer than the limit.
_PROSE_MIN_WORDS = 6
_SHORT_MAX_WORDS = 20
# The least a non-prose line weighs against the main body (see ``_body_extent``); the same F1 on the
# dev pages for any value from 2 to 13 (DATACARD, "Cleaning quality on outside pages").
_FURNITURE_MIN_WORDS = 3
# Furniture kinds recognised by wording that also sit inside articles: neutral for the extent.
_NEUTRAL_IN_BODY = frozenset({"caption", "credit", "prompt", "date", "byline", "correction"})


def parse_date(text: str) -> str | None:
    """ISO date of a stand-alone date line ("July 4, 2023", "4 July 2023", "2023-07-04"), else None."""
    m = DATE_LINE.match(text.strip())
    if not m:
        return None
    value = re.sub(r"[.,]", "", m.group("date")).replace("Sept", "Sep")
    for fmt in ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def match_caption_credit(text: str) -> re.Match | None:
    """``CAPTION_CREDIT.match(text)``, without running the expression on a line it cannot match: its
    credit follows the line's last colon and holds none of ".!?;" (the common case of a body line)."""
    colon = text.rfind(":")
    if colon < 0:
        return None
    after = text[colon + 1:]
    if "." in after or "!" in after or "?" in after or ";" in after:
        return None
    return CAPTION_CREDIT.match(text)


def split_names(names: str) -> list[str]:
    """"A (Bamako), B, and C" -> ["A", "B", "C"]."""
    names = re.sub(r"\([^)]*\)", "", names)
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", names)
    return [p.strip(" .:") for p in parts if p.strip(" .:")]


# --------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str  # repaired
    raw_start: int
    raw_end: int
    group: int  # lines of one group are not separated by a blank line
    kind: str | None = None  # furniture kind, or title/heading/paragraph
    payload: dict | None = None  # what a furniture line says (credit, date, names) for the metadata

    @cached_property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    @cached_property
    def is_prose(self) -> bool:
        ends_sentence = bool(_SENTENCE_END.search(self.text)) and not self.text.endswith(":")
        return (ends_sentence and self.words >= _PROSE_MIN_WORDS) or self.words > _SHORT_MAX_WORDS

    @cached_property
    def is_short(self) -> bool:
        """Heading-shaped: few words and no sentence-final punctuation ("?" and "!" allowed)."""
        if self.words == 0 or self.words > _SHORT_MAX_WORDS:
            return False
        return not re.search(r"[.:;,][\"'”’»)\]]*$", self.text)


def _lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    group, blank_run, offset = 0, True, 0
    for physical in raw.splitlines(keepends=True):
        content = physical.rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            blank_run = True
        else:
            if blank_run and lines:
                group += 1
            blank_run = False
            lead = len(content) - len(content.lstrip())
            raw_start = offset + lead
            raw_end = raw_start + len(stripped)
            text = repair_text(raw[raw_start:raw_end])
            if text:
                lines.append(_Line(text, raw_start, raw_end, group))
        offset += len(physical)
    return lines


def is_navigation_trail(text: str) -> bool:
    """A breadcrumb trail: two or more parts joined by "|", ">", "»" or "›", all but the last of at most
    four words ("Home | World | Africa"; "Home » News » <the headline>")."""
    parts = [p for p in _TRAIL_SEPARATOR.split(text.strip()) if p]
    if len(parts) < 2 or len(_TRAIL_SEPARATOR.findall(text.strip())) != len(parts) - 1:
        return False
    heads = [len(_WORD.findall(p)) for p in parts[:-1]]
    return all(1 <= n <= 4 for n in heads) and (len(parts) >= 3 or len(_WORD.findall(parts[-1])) <= 4)


def is_headline_like(text: str) -> bool:
    """Could this line be an article's headline? Several words (three or more; five or more when every
    word is capitalised: a shorter one is a name, of the site, a section or a brand), no navigation
    trail, no interface words (menu, sign in, newsletters), no time of day, form control or address,
    not the site speaking of itself ("our")."""
    words = _WORD.findall(text)
    if len(words) < 3 or (len(words) < 5 and all(w[0].isupper() or w[0].isdigit() for w in words)):
        return False
    if text.rstrip().endswith(":") or (_SITE_VOICE.search(text) and not _QUOTE.search(text)):
        return False
    return not (is_navigation_trail(text) or INTERFACE_WORDS.search(text) or _NOT_HEADLINE.search(text))


def _is_name_line(text: str) -> bool:
    """A byline without "By": two to five capitalised words, no digits or punctuation but dots."""
    words = text.split()
    if not 2 <= len(words) <= 5 or re.search(r"[\d,;:!?\"“”()]", text):
        return False
    return all(w[0].isupper() or w.lower() in {"and", "de", "van", "von", "al", "bin"} for w in words)


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------


def clean(raw: str) -> CleanDocument:
    """Clean one plain-text news article. Raises ``CleaningError`` when there is no article body."""
    if not raw.strip():
        raise CleaningError("the article is empty")
    lines = _lines(raw)
    meta: dict = {"authors": [], "captions": [], "credits": [], "corrections": [], "author_bios": []}

    _classify_by_wording(lines)
    _classify_notices(lines)
    body_start = next((i for i, ln in enumerate(lines) if ln.kind is None and ln.is_prose), None)
    if body_start is None:
        raise CleaningError("no recognisable article body (no line of running prose)")
    extent, end = _article_bounds(lines, body_start)
    _mark_tail(lines, end, meta)
    _mark_header(lines, body_start, meta)
    _mark_body(lines, body_start, end, extent)
    _collect_metadata(lines[:end], meta)
    _find_outlet(lines, meta)
    return _assemble(raw, lines, meta)


def _classify_by_wording(lines: list[_Line]) -> None:
    """Kinds given by a line's own wording; ``payload`` keeps what the line says for the metadata."""
    for i, ln in enumerate(lines):
        t = ln.text
        if NAVIGATION.match(t):
            ln.kind = "navigation"
        elif PROMPT.match(t) or COMMENT_FORM.match(t):
            ln.kind = "prompt"
        elif (m := match_caption_credit(t)) and len(m.group("credit").split()) <= 10:
            caption, credit = m.group("caption").strip(), m.group("credit").strip()
            if caption:
                ln.kind, ln.payload = "caption", {"caption": caption, "credit": credit}
            else:  # "Photo Source: X" on a line of its own
                ln.kind, ln.payload = "credit", {"credits": [Credit("photo", credit)]}
            # The image's description: a short line directly above, in the same group.
            prev = lines[i - 1] if i > 0 else None
            if prev and prev.group == ln.group and prev.kind is None and prev.is_short:
                prev.kind = "caption"
                prev.payload = {"caption": prev.text, "credit": None}
        elif m := PHOTO_BY.match(t):
            ln.kind = "credit"
            ln.payload = {"credits": [Credit("photo", m.group("credit").strip())]}
        elif (m := BYLINE.match(t)) and ln.words <= 12:
            ln.kind = "byline"
            ln.payload = {"authors": split_names(m.group("names"))}
        elif m := CONTRIBUTED.match(t):
            ln.kind = "credit"
            ln.payload = {"credits": [Credit("contributor", n) for n in split_names(m.group("names"))]}
        elif ROLE_CREDIT_LINE.match(t) and ln.words <= 30:
            ln.kind = "credit"
            credits = []
            for m in ROLE_CREDIT.finditer(t):
                role = m.group("role").lower().replace(" ", "_")
                role = {"edited": "editing", "written": "writing"}.get(role, role)
                credits.extend(Credit(role, n) for n in split_names(m.group("names")))
            ln.payload = {"credits": credits}
        elif CORRECTION.match(t):
            ln.kind = "correction"
        elif (date := parse_date(t)) is not None:
            ln.kind = "date"
            ln.payload = {"date": date}


def _collect_metadata(article: list[_Line], meta: dict) -> None:
    """Metadata from the furniture of the article proper (the tail's link lists say nothing of it)."""
    for ln in article:
        p = ln.payload
        if ln.kind == "caption" and p:
            meta["captions"].append(Caption(p["caption"], p["credit"], ln.raw_start, ln.raw_end))
            if p["credit"]:
                meta["credits"].append(Credit("photo", p["credit"]))
        elif ln.kind == "byline" and p:
            meta["authors"].extend(p["authors"])
        elif ln.kind == "credit":
            meta["credits"].extend(p["credits"])
        elif ln.kind == "correction":
            meta["corrections"].append(ln.text)
        elif ln.kind == "date":
            meta.setdefault("date", p["date"])


def _classify_notices(lines: list[_Line]) -> None:
    """Copyright footers, notices to the reader (newsletter, paywall, cookies, consent) and tag lists."""
    # Lines of up to 60 words on the site's subjects (subscriptions, sign-up, cookies).
    on_topic = [ln.words <= 60 and boilerplate.mentions_site_topic(ln.text) for ln in lines]
    for ln, topic in zip(lines, on_topic):
        if ln.kind is not None:
            continue
        if ln.words <= 40 and boilerplate.is_copyright(ln.text):
            ln.kind = "site_description"
        elif ln.words <= 60 and boilerplate.is_notice(ln.text, on_topic=topic):
            ln.kind = "prompt"
        elif boilerplate.is_tag_line(ln.text):
            ln.kind = "link_list"
    # A line on the same subject next to a notice is part of it.
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if ln.kind is None and on_topic[i] and any(
                0 <= j < len(lines) and lines[j].kind == "prompt" and on_topic[j] for j in (i - 1, i + 1)
            ):
                ln.kind, changed = "prompt", True


@dataclass(frozen=True)
class _Extent:
    """The main body: its first and last line, and which lines jusText keeps in context."""

    first: int
    last: int
    kept_in_context: frozenset[int]


def _body_extent(lines: list[_Line], body_start: int, stop: int, paragraphs: list) -> _Extent:
    """First and last line of the main body among ``lines[body_start:stop]``: the stretch where
    running text outweighs furniture.

    A line of prose counts its words for the body, unless jusText's context-free classifier rejects
    it (low stop-word density: a caption, a list of names, a teaser); that counts nothing, and so
    does a line recognised by its wording as furniture that sits inside articles (caption, credit,
    prompt, notice). Any other line (tags, link lists, menus) counts its words against, at least
    ``_FURNITURE_MIN_WORDS`` (a one-word menu item is as much a sign of a menu as a five-word one).
    jusText's own context rules are not used here: the extent is the context. ``paragraphs``: jusText's
    paragraphs of ``lines[body_start:]`` (``boilerplate.density_paragraphs``, context-free classes being
    the same whatever the stretch, computed once).
    """
    paragraphs = paragraphs[:stop - body_start]
    context_free = [p.cf_class for p in paragraphs]
    in_context = boilerplate.context_classes(paragraphs)
    scores: list[float] = []
    for ln, cls in zip(lines[body_start:stop], context_free):
        if ln.kind in _NEUTRAL_IN_BODY:
            scores.append(0)  # recognised by its wording, and found inside articles as well as around them
        elif ln.kind is None and ln.is_prose:
            scores.append(0 if cls == "bad" else ln.words)
        else:
            scores.append(-max(_FURNITURE_MIN_WORDS, ln.words))
    if "good" in in_context:
        kept = frozenset(body_start + k for k, cls in enumerate(in_context) if cls == "good")
    else:  # jusText's context needs one paragraph long enough to be "good"; without one it says nothing
        kept = frozenset(range(body_start, stop))
    span = boilerplate.body_extent(scores)
    if span is None:
        return _Extent(body_start, body_start, kept)
    return _Extent(body_start + span[0], body_start + span[1], kept)


def _article_bounds(lines: list[_Line], body_start: int) -> tuple[_Extent, int]:
    """The main body's extent and the index of the line that ends the article.

    The article ends at the first hard end marker (comments, author box) from the main body's start
    on, or at the first other end marker (related stories, most read, tags) after the main body.
    A comment section is not the page's main text: the extent is measured again without it.
    """
    paragraphs = boilerplate.density_paragraphs([ln.text for ln in lines[body_start:]])
    extent = _body_extent(lines, body_start, len(lines), paragraphs)
    names = {ln.text[len("by "):].strip() if ln.text.lower().startswith("by ") else ln.text
             for ln in lines[:extent.first] if ln.kind == "byline" or _is_name_line(ln.text)}

    def hard(i: int) -> bool:
        t = lines[i].text
        if COMMENT_COUNT.match(t):
            # "Comments", "12 comments": also a share-bar link above the text; a comment section
            # only comes after some of the body.
            return sum(ln.kind is None and ln.is_prose for ln in lines[extent.first:i]) >= 2
        return bool(HARD_END_MARKER.match(t) or COMMENT_FORM.match(t)) or (
            BIO_MARKER.match(t) is not None and t[len("about "):] in names  # "About Jane Doe" under "By Jane Doe"
        )

    def soft(i: int) -> bool:
        t = lines[i].text
        return bool(END_MARKER.match(t) or BIO_MARKER.match(t) or END_MARKER.match(boilerplate.strip_bullet(t))
                    or boilerplate.is_tag_line(t))

    stop = next((i for i in range(max(body_start + 1, extent.first), len(lines)) if hard(i)), None)
    if stop is not None:
        extent = _body_extent(lines, body_start, stop, paragraphs)
    end = next(
        (i for i in range(body_start + 1, len(lines)) if (hard(i) and i >= extent.first) or (soft(i) and i > extent.last)),
        len(lines),
    )
    return extent, end


def _is_end_marker(text: str) -> bool:
    return bool(END_MARKER.match(text) or HARD_END_MARKER.match(text) or COMMENT_FORM.match(text) or BIO_MARKER.match(text))


def _mark_tail(lines: list[_Line], end: int, meta: dict) -> None:
    """Mark everything from the line that ends the article: bios, the outlet's description, link lists."""
    in_bio = False
    tail = lines[end:]
    for k, ln in enumerate(tail):
        if _is_end_marker(ln.text):
            in_bio = bool(BIO_MARKER.match(ln.text))
            ln.kind = ln.kind if ln.kind in ("prompt",) else "end_marker"
        elif ln.kind is not None:
            continue
        elif in_bio and ln.is_prose:
            ln.kind = "author_bio"
            meta["author_bios"].append(ln.text)
        elif SELF_DESCRIPTION.match(ln.text) and ln.is_prose:
            ln.kind = "site_description"
            in_bio = False
        elif k + 1 < len(tail) and SELF_DESCRIPTION.match(tail[k + 1].text) and ln.is_short:
            ln.kind = "site_description"  # the outlet's name above its self-description
        else:
            ln.kind = "link_list"
            in_bio = False


def _ending_in_a_later_headline(header: list[_Line]) -> list[_Line]:
    """The lines that end in " " + a later headline-like line (``"Home World <headline>"``), found in time
    linear in the header: each line's space-separated suffixes are hashed word by word from the right and
    looked up among the later headline-like lines' hashes (a hit is confirmed by comparing the text)."""
    later: dict[tuple[int, int], list[str]] = {}  # (words, hash of the word sequence) -> texts
    found = []
    for ln in reversed(header):
        words = ln.text.split(" ")
        key = 0
        for k in range(1, len(words)):  # suffixes of 1 .. all but one word: a space always precedes them
            key = hash((hash(words[-k]), key))
            texts = later.get((k, key))
            if texts and any(ln.text.endswith(" " + t) for t in texts):
                found.append(ln)
                break
        if is_headline_like(ln.text):
            later.setdefault((len(words), hash((hash(words[0]), key))), []).append(ln.text)
    return found


def _mark_header(lines: list[_Line], body_start: int, meta: dict) -> None:
    """Title, masthead and byline: the unclassified lines before the first prose line.

    A breadcrumb trail above the article is navigation. The title is the best headline-like line
    (``is_headline_like``) standing alone in its group (a group of several lines is a menu or a
    masthead); the lines before it are the masthead."""
    for ln in lines[:body_start]:
        if ln.kind is None and is_navigation_trail(ln.text):
            ln.kind = "navigation"
    header = [ln for ln in lines[:body_start] if ln.kind is None]
    # A trail printed without separators ends in the headline it leads to: "Home World <headline>".
    for ln in _ending_in_a_later_headline(header):
        ln.kind = "navigation"
    header = [ln for ln in header if ln.kind is None]
    groups: dict[int, list[_Line]] = {}
    for ln in header:
        groups.setdefault(ln.group, []).append(ln)
    # The best candidate: a line standing alone in its group, headline-like; one of four words or more
    # beats a three-word one (a slogan, a section name), and the first of the best wins.
    candidates = [g[0] for g in groups.values() if len(g) == 1 and is_headline_like(g[0].text)]
    title = max(candidates, key=lambda ln: min(ln.words, 4), default=None)
    title_seen = False
    byline_seen = any(x.kind == "byline" for x in lines)
    for group in groups.values():
        if not title_seen and group[0] is title:
            group[0].kind = "title"
            meta["title"] = group[0].text
            title_seen = True
            continue
        for ln in group:
            if title_seen and not byline_seen and _is_name_line(ln.text):
                ln.kind, ln.payload = "byline", {"authors": [ln.text]}
                byline_seen = True
            elif not title_seen:
                ln.kind = "masthead"
            else:  # a stray short line between title and body: a lead image's description
                ln.kind, ln.payload = "caption", {"caption": ln.text, "credit": None}


def _mark_body(lines: list[_Line], body_start: int, end: int, extent: _Extent) -> None:
    prose_seen = 0
    i = body_start
    while i < end:
        ln = lines[i]
        if ln.kind in (None, "prompt", "link_list") and _opens_related_block(ln.text):
            # "Related", "Read more", "Tags:" inside the body, and the short link lines after it.
            ln.kind = ln.kind or "link_list"
            i += 1
            while i < end and lines[i].kind is None and lines[i].is_short and not lines[i].is_prose:
                lines[i].kind = "link_list"
                i += 1
            continue
        if ln.kind is not None:
            i += 1
            continue
        if i > extent.last and (not ln.is_prose or i not in extent.kept_in_context):
            # After the main body a short line heads no section (a link, a label, a reference line),
            # and prose is body text only where jusText keeps it in context.
            ln.kind = "link_list"
            i += 1
            continue
        if ln.is_prose or not ln.is_short:
            ln.kind = "paragraph"
            prose_seen += 1
            i += 1
            continue
        run_end = i
        while run_end < end and lines[run_end].kind is None and lines[run_end].is_short and not lines[run_end].is_prose:
            run_end += 1
        run = lines[i:run_end]
        if len(run) >= 3:
            for r in run:
                r.kind = "link_list"
        elif prose_seen == 1:
            for r in run:
                r.kind, r.payload = "caption", {"caption": r.text, "credit": None}
        else:
            for r in run:
                # A bulleted short line is a link to another story: headings carry no bullet.
                r.kind = "link_list" if BULLET_MARK.match(r.text) else "heading"
        i = run_end


def _opens_related_block(text: str) -> bool:
    t = boilerplate.strip_bullet(text)
    return bool(END_MARKER.match(t) or RELATED_LEAD.match(t) or boilerplate.is_tag_line(text))


def _find_outlet(lines: list[_Line], meta: dict) -> None:
    """The outlet, only where the page names it: agency dateline, site navigation, masthead, self-description."""
    candidates: list[str] = []
    for ln in lines:
        if ln.kind == "paragraph" and (m := DATELINE_AGENCY.match(ln.text)):
            meta.setdefault("dateline", m.group("place").strip().rstrip(","))
            candidates.append(m.group("agency").strip())
            break
    first = next((ln for ln in lines if ln.kind == "paragraph"), None)
    if first is not None and (m := DATELINE_PLACE.match(first.text)):
        meta.setdefault("dateline", m.group("place"))
    for ln in lines:
        if ln.kind == "navigation" and (m := SKIP_TO_SITE.search(ln.text)):
            candidates.append(m.group("outlet"))
        elif ln.kind == "masthead" and (m := ACRONYM_NAME.match(ln.text)):
            name, acronym = m.group("name"), m.group("acronym")
            initials = "".join(w[0] for w in name.split() if w[0].isupper())
            if initials == acronym:
                candidates.append(f"{name} ({acronym})")
        elif ln.kind == "site_description" and (m := SELF_DESCRIPTION.match(ln.text)):
            candidates.append(m.group("name"))
    if candidates:
        meta["outlet"] = candidates[0]


def _assemble(raw: str, lines: list[_Line], meta: dict) -> CleanDocument:
    parts: list[str] = []
    blocks: list[Block] = []
    offset_map: list[OffsetSegment] = []
    furniture: list[Furniture] = []
    pos = 0
    for ln in lines:
        if ln.kind in ("title", "heading", "paragraph"):
            if parts:
                parts.append("\n\n")
                pos += 2
            blocks.append(Block(ln.kind, pos, pos + len(ln.text), ln.raw_start, ln.raw_end))
            offset_map.extend(align(raw[ln.raw_start : ln.raw_end], ln.raw_start, ln.text, pos))
            parts.append(ln.text)
            pos += len(ln.text)
        else:
            furniture.append(Furniture(ln.kind, ln.raw_start, ln.raw_end, ln.text))  # type: ignore[arg-type]
    metadata = DocumentMetadata(
        title=meta.get("title"),
        authors=tuple(dict.fromkeys(meta["authors"])),
        date=meta.get("date"),
        outlet=meta.get("outlet"),
        dateline=meta.get("dateline"),
        captions=tuple(meta["captions"]),
        credits=tuple(meta["credits"]),
        corrections=tuple(meta["corrections"]),
        author_bios=tuple(meta["author_bios"]),
    )
    return CleanDocument("".join(parts), tuple(blocks), metadata, tuple(furniture), tuple(offset_map))
