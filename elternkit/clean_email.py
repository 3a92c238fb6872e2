"""E-mail rules: one valid, lower-case address per cell, typos proposed.

Parents register in IServ with their own e-mail address, and IServ uses the
address as an auxiliary identifier to recognise the rows of one person. So
every cell ends with at most one address that passes
``email_validator.validate_email(..., check_deliverability=False)`` (offline,
no DNS lookup), written in lower case.

Decisions:

- **Lower case, whole address.** The local part is case-sensitive by the
  standard, but no German mail provider treats it so, and ``Anna@…`` and
  ``anna@…`` on two sibling rows must compare equal (regel
  ``email_kleinschreibung``).
- **Several addresses** in one cell (separated by ``;``, ``,``, space, line
  break or ``/``): the first valid one is kept, the others are reported by
  name (``email_mehrere``). No output cell ever holds two ``@``.
- **Invalid addresses**, including the spam-proof ``anna(at)example.org``
  spelling, are not exported (``email_ungueltig``); the row goes to IServ
  without e-mail. A likely correction is named in the message, never applied.
- **Remarks** next to the address (``ida@example.org (nur abends)``) are
  dropped and reported (``email_bemerkung``).
- **Typos of common provider domains** (``gmx.dee``, ``web.de.de``,
  ``gmial.com``) are proposed in a finding (``email_tippfehler``) and never
  applied: the value stays as it is.
"""

from __future__ import annotations

import logging
import re

import polars as pl
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA

from elternkit.findings import Hit, define_code
from elternkit.options import Options
from elternkit.rules import Outcome, Stage, apply_value_rule
from elternkit.text import quote_values

logger = logging.getLogger(__name__)

_WHY = (
    "Eltern registrieren sich in IServ mit ihrer E-Mail-Adresse, und IServ "
    "erkennt die Zeilen derselben Person auch an ihr."
)

define_code(
    "email_ungueltig",
    "warnung",
    "E-Mail-Adresse ungültig, ohne E-Mail exportiert",
    "In der Spalte {feld} steht „{wert}“; das ist keine gültige "
    "E-Mail-Adresse.{detail} " + _WHY + " Die Zeile wird ohne E-Mail "
    "exportiert. Bitte die Adresse im Schulverwaltungsprogramm berichtigen.",
)
define_code(
    "email_mehrere",
    "warnung",
    "Mehrere E-Mail-Adressen in einer Zelle, die erste gültige übernommen",
    "In der Spalte {feld} stehen mehrere Adressen: „{wert}“. " + _WHY + " Eine "
    "Zeile kann nur eine Adresse tragen; übernommen wurde die erste gültige, "
    "weggelassen:{detail}. Gehört eine weggelassene Adresse einer anderen "
    "Person, bitte sie dort im Schulverwaltungsprogramm eintragen.",
)
define_code(
    "email_bemerkung",
    "hinweis",
    "Bemerkung neben der E-Mail-Adresse entfernt",
    "In der Spalte {feld} steht neben der Adresse ein Text: „{wert}“. In die "
    "Importdatei kommt nur die Adresse; weggelassen:{detail}. Bemerkungen "
    "gehören im Schulverwaltungsprogramm in ein eigenes Feld.",
)
define_code(
    "email_tippfehler",
    "warnung",
    "E-Mail-Adresse mit vermutlichem Tippfehler in der Domain",
    "In der Spalte {feld} steht „{wert}“; die Domain sieht nach einem "
    "Tippfehler aus, gemeint ist vermutlich „{detail}“. " + _WHY + " An eine "
    "falsche Adresse kommt keine Registrierungs-E-Mail an. Die Adresse wurde "
    "nicht geändert: bitte bei den Eltern nachfragen und im "
    "Schulverwaltungsprogramm berichtigen.",
)

#: Domains of common mail providers in Germany, for typo proposals.
# fmt: off
KNOWN_DOMAINS = frozenset((
    "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "gmx.org", "web.de",
    "t-online.de", "gmail.com", "googlemail.com", "yahoo.de", "yahoo.com",
    "ymail.com", "outlook.de", "outlook.com", "hotmail.de", "hotmail.com",
    "live.de", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
    "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "aol.com", "aol.de",
    "online.de", "email.de", "mail.de", "vodafone.de", "kabelmail.de", "1und1.de",
    "ewe.net", "protonmail.com", "proton.me", "tutanota.com", "tutanota.de",
    "tuta.io", "magenta.de",
))
# fmt: on
# Right name, wrong top-level domain: too far apart for the edit distance.
_WRONG_TLD = {
    "googlemail.de": "googlemail.com",
    "gmail.de": "gmail.com",
    "t-online.com": "t-online.de",
    "t-online.net": "t-online.de",
    "web.com": "web.de",
    "icloud.de": "icloud.com",
}
_OBFUSCATED_AT = re.compile(r"\s*[(\[{]\s*(?:at|ät|@)\s*[)\]}]\s*", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*", re.IGNORECASE)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SEPARATORS = re.compile(r"[;,\s/|]+")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
# Zero-width characters and soft hyphens: clean_text removes them first, but
# an address must never fail on them.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def suggest_email_domain(domain: str) -> str | None:
    """Propose the provider domain a mistyped ``domain`` probably means.

    Known domains and domains far from every known one give ``None``.

    Examples
    --------
    >>> suggest_email_domain("gmx.dee")
    'gmx.de'
    >>> suggest_email_domain("web.de.de")
    'web.de'
    >>> suggest_email_domain("gmial.com")
    'gmail.com'
    >>> suggest_email_domain("gmx.at") is None  # a real domain of its own
    True
    >>> suggest_email_domain("schule-musterstadt.de") is None
    True
    """
    domain = domain.casefold()
    if domain in KNOWN_DOMAINS:
        return None
    if domain.rstrip(".") in KNOWN_DOMAINS:
        return domain.rstrip(".")
    if domain in _WRONG_TLD:
        return _WRONG_TLD[domain]
    head, _, tld = domain.rpartition(".")
    if head.endswith("." + tld) and head in KNOWN_DOMAINS:
        return head
    best, best_distance = None, 3
    for known in sorted(KNOWN_DOMAINS):
        limit = 1 if len(known) <= 7 else 2
        distance = OSA.distance(domain, known, score_cutoff=limit)
        if distance <= limit and distance < best_distance:
            best, best_distance = known, distance
    return best


def _validated(address: str) -> str | None:
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None
    return result.normalized.lower()


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Split a cell into address candidates and remark words."""
    text = _OBFUSCATED_AT.sub("(at)", _OBFUSCATED_DOT.sub("(dot)", text))
    remarks = [
        m.group(1).strip()
        for m in _PARENTHESES.finditer(text)
        if m.group(1).strip().casefold() not in {"at", "dot"}
    ]
    text = _PARENTHESES.sub(
        lambda m: m.group() if m.group(1).strip().casefold() in {"at", "dot"} else " ",
        text,
    )
    candidates: list[str] = []
    for raw in _SEPARATORS.split(text):
        token = _MAILTO.sub("", raw.strip("<>\"'"))
        if "@" in token or "(at)" in token.casefold():
            candidates.append(token)
        elif token.strip(".:-"):
            remarks.append(token)
    return candidates, [r for r in remarks if r]


def _deobfuscated(token: str) -> str:
    return token.replace("(at)", "@").replace("(dot)", ".")


def normalize_email(value: str) -> Outcome:
    """Reduce one e-mail cell to one valid lower-case address.

    Parameters
    ----------
    value
        The raw cell value.

    Returns
    -------
    Outcome
        The address (``None`` when no valid one is left), the rule that
        changed the value, and the findings.

    Examples
    --------
    >>> normalize_email("ANNA@Example.org").value
    'anna@example.org'
    >>> normalize_email("anna@example.org")  # already clean: unchanged
    Outcome(value='anna@example.org', rule=None, hits=())
    >>> o = normalize_email("anna@example.org; lars@example.org")
    >>> o.value, [h.code for h in o.hits]
    ('anna@example.org', ['email_mehrere'])
    >>> o = normalize_email("tom(at)example.org")
    >>> o.value, [h.code for h in o.hits]
    (None, ['email_ungueltig'])
    >>> o = normalize_email("anna@gmx.dee")
    >>> o.value, o.hits[0].detail
    ('anna@gmx.dee', 'anna@gmx.de')
    """
    if not any(ch.isalnum() for ch in value):
        return Outcome(None, "email_format")
    candidates, remarks = _tokens(_INVISIBLE.sub("", value).strip())
    valid: list[str] = []
    invalid: list[str] = []
    for token in candidates:
        address = _validated(token)
        if address is None:
            invalid.append(token)
        elif address not in valid:
            valid.append(address)

    if not valid:
        return _invalid(value, invalid)

    address = valid[0]
    hits: list[Hit] = []
    dropped = valid[1:] + invalid
    if dropped:
        hits.append(Hit("email_mehrere", detail=" " + quote_values(dropped)))
    if remarks:
        hits.append(
            Hit("email_bemerkung", detail=" " + quote_values([" ".join(remarks)]))
        )
    local, _, domain = address.rpartition("@")
    proposal = suggest_email_domain(domain)
    if proposal is not None:
        hits.append(Hit("email_tippfehler", detail=f"{local}@{proposal}"))

    if address == value:
        rule = None
    elif dropped:
        rule = "email_mehrere"
    elif remarks:
        rule = "email_bemerkung"
    elif address == value.strip():
        rule = "email_format"
    elif address == value.strip().lower():
        rule = "email_kleinschreibung"
    else:
        rule = "email_format"
    return Outcome(address if rule else value, rule, tuple(hits))


def _invalid(value: str, invalid: list[str]) -> Outcome:
    """Outcome for a cell without any valid address."""
    detail = ""
    if any("(at)" in t.casefold() for t in invalid):
        detail = " Das @ ist als „(at)“ umschrieben."
    for token in invalid:
        fixed = _validated(_deobfuscated(token).rstrip("."))
        if fixed is not None:
            local, _, domain = fixed.rpartition("@")
            domain = suggest_email_domain(domain) or domain
            detail += f" Gemeint ist vermutlich „{local}@{domain}“."
            break
    if not invalid:
        detail = " Es fehlt das @."
    return Outcome(None, "email_ungueltig", (Hit("email_ungueltig", detail=detail),))


#: A lower-case address of plain characters, dots only between them. For such
#: a value ``normalize_email`` depends on the domain alone (see
#: :func:`tidy_email_expr`).
_PLAIN = r"^[a-z0-9_+\-]+(?:\.[a-z0-9_+\-]+)*@[a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?$"


def tidy_email_expr(values: pl.Series) -> pl.Expr:
    """Return a test for values that :func:`normalize_email` leaves as they are.

    A plain lower-case address (letters, digits, ``_+-``, single dots inside)
    is unchanged and without findings exactly when its domain is: each
    distinct domain of ``values`` is checked once with ``normalize_email``.
    So a million addresses cost a polars pass plus one call per domain.

    Examples
    --------
    >>> s = pl.Series("email", ["anna@web.de", "ANNA@web.de", "ida@gmx.dee"])
    >>> s.to_frame().select(tidy_email_expr(s))["email"].to_list()
    [True, False, False]
    """
    col = pl.col(values.name)
    plain = col.str.contains(_PLAIN) & (col.str.len_bytes() <= 254)
    local = col.str.split("@").list.first()
    domain = col.str.split("@").list.last()
    domains = (
        values.to_frame()
        .filter(plain)
        .select(domain.unique())
        .get_column(values.name)
        .to_list()
    )
    good = [d for d in domains if normalize_email(f"a@{d}") == Outcome(f"a@{d}")]
    return (
        plain
        & (local.str.len_bytes() <= 64)
        & domain.is_in(pl.Series(good, dtype=pl.String).implode())
    ).fill_null(False)


def clean_email(
    frame: pl.DataFrame,
    *,
    options: Options = Options(),
) -> Stage:
    """Reduce every e-mail cell of the long table to one valid address.

    Runs :func:`normalize_email` once per distinct value of ``email``; see the
    module docstring for the rules. A shared address on two persons is not
    handled here (it needs the persons).

    Parameters
    ----------
    frame
        The long table.
    options
        Run options (none of them changes this stage today).

    Examples
    --------
    >>> import polars as pl
    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({
    ...     "_row": [0, 1, 2], "zeile": [2, 3, 4],
    ...     "email": ["ANNA@example.org", "tom(at)example.org", None],
    ... }))
    >>> st = clean_email(df)
    >>> st.frame["email"].to_list()
    ['anna@example.org', None, None]
    >>> st.changes.select("zeile", "regel").rows()
    [(2, 'email_kleinschreibung'), (3, 'email_ungueltig')]
    """
    stage = apply_value_rule(
        frame, "email", normalize_email, skip=tidy_email_expr(frame["email"])
    )
    logger.info(
        "E-Mail: %d Zellen geändert, %d Befunde",
        stage.changes.height,
        stage.findings.height,
    )
    return stage
