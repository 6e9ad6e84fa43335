"""Shared wording helpers: seeded template choice, key words, value text, person flipping."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..variants import expand, seed_of
from ..env.wording import humanize, join_words, key_words, value_text  # noqa: F401 (used by the roles)

T = TypeVar("T")

_WORD = re.compile(r"[a-z0-9]+")


def stable_int(*parts: object) -> int:
    return seed_of(*parts)


def pick(options: Sequence[T], *key: object) -> T:
    """One option, chosen by a hash of the key: the same key always gives the same option. A wording's
    alternations (``[a|b]``, see :mod:`writ_dsl.variants`) are expanded by the same hash."""
    seed = seed_of(*key)
    chosen = options[seed % len(options)]
    return expand(chosen, seed) if isinstance(chosen, str) else chosen  # type: ignore[return-value]


def compose(slots: Sequence[Sequence[str]], *key: object) -> str:
    """One sentence built slot by slot: an option per slot (each by its own hash of the key), empty options
    left out, a slot's text capitalised when it opens the sentence."""
    parts = [part for index, options in enumerate(slots) if (part := pick(options, *key, "slot", index))]
    return join_parts(parts)


def first_fitting(make: Callable[[int], str], fits: Callable[[str], bool], tries: int = 8) -> str:
    """``make(0)``, or the first of ``make(1)``, ``make(2)``... that ``fits`` (the last one made if none does):
    a wording chosen by a stable key, chosen again with another key where it would clash with its context."""
    made = make(0)
    for attempt in range(1, tries):
        if fits(made):
            break
        made = make(attempt)
    return made


def join_parts(parts: Sequence[str]) -> str:
    """Parts joined into running text, each part's first letter cased after what precedes it."""
    said = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not said or said.endswith((".", "!", "?")):
            part = part[:1].upper() + part[1:]
        elif said.endswith((",", ";", ":", "-")) and not re.match(r"I\b", part):
            part = part[:1].lower() + part[1:]
        said = f"{said} {part}" if said else part
    return said


def words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def asks_for(key: str, text: str | None) -> bool:
    """Whether the text mentions every word of the key (so it asks for, or talks about, that fact)."""
    return bool(text) and set(key_words(key)) <= words(text)


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    text = value_text(value)
    return [text] if text else []


def mentions_value(value: Any, text: str | None) -> bool:
    """Whether every part of the value was said in the text (case-insensitive): word for word, as a date is
    spoken ("May 21st" for 2024-05-21), part by part ("418 Maple Avenue, Apt 12" said with the city between),
    or, for words, in another form of each ("I no longer need it" for "no longer needed")."""
    haystack = (text or "").lower()
    return all(_said(leaf, haystack) for leaf in _leaves(value))


def _said(value: str, haystack: str) -> bool:
    leaf = value.lower()
    if _as_word(leaf).search(haystack):
        return True
    parts = [part.strip() for part in _PARTS.split(value) if part.strip()]
    if len(parts) > 1:
        return all(_said(part, haystack) for part in parts)
    spoken = _spoken_date(leaf)
    if spoken:
        return bool(spoken.search(haystack))
    return not _ID.fullmatch(value) and _words_said(leaf, haystack)  # words, not an id ("KXWDES")


def _as_word(text: str) -> re.Pattern[str]:
    """The text, not inside a longer word or number: "unit 5" is not said in "unit 55"."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(text)}(?![a-z0-9])")


_PARTS = re.compile(r",\s+|,(?=[A-Za-z])")  # address parts, also "Lane,Unit 5"; "1,250.00" stays one number
_ID = re.compile(r"[A-Z0-9_#-]+")  # an id in capitals and digits: matched whole, never word by word
_MONTHS = ("january february march april may june july august september october november december").split()
_ISO_DATE = re.compile(r"^\d{4}-(\d{2})-(\d{2})$")


def _spoken_date(leaf: str) -> re.Pattern[str] | None:
    """How a person says an ISO date: "may 21", "may 21st" or "21 may" (and not "may 2" in "may 25th")."""
    match = _ISO_DATE.match(leaf)
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None
    month, day = _MONTHS[int(match.group(1)) - 1], str(int(match.group(2)))
    return re.compile(rf"\b(?:{month} {day}(?:st|nd|rd|th)?|{day}(?:st|nd|rd|th)? (?:of )?{month})\b")


_SUFFIXES = ("ness", "ing", "ed", "es", "s")


def _stem(word: str) -> str:
    """A word without its inflection: "needed" -> "need", "orders" -> "order", "illness" -> "ill", "changed" and
    "change" -> "chang"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_NEGATIONS = frozenset({"no", "not", "never"})


def _words_said(leaf: str, haystack: str) -> bool:
    """Whether a wording of words only was said with every content word in some form; a negation is
    a content word ("not needed" is not said by "needed")."""
    if not re.fullmatch(r"[a-z' ]+", leaf):
        return False
    wanted = [w for w in _WORD.findall(leaf) if w not in _FILLER or w in _NEGATIONS]
    heard = {_stem(w) for w in _WORD.findall(haystack)}
    return bool(wanted) and all(_stem(w) in heard for w in wanted)


# ------------------------------------------------------------- second -> first person
_FLIPS = [
    (re.compile(pattern, re.I), repl)
    for pattern, repl in [
        (r"\byou are\b", "I am"), (r"\byou're\b", "I'm"), (r"\byou have\b", "I have"), (r"\byou've\b", "I've"),
        (r"\byou were\b", "I was"), (r"\byourself\b", "myself"), (r"\byourselves\b", "ourselves"),
        (r"\byours\b", "mine"), (r"\byour\b", "my"),
        (r"\b(both|all|each|either|neither) of you\b", r"\1 of us"), (r"\byou both\b", "we both"),
        (r"\b(just|only) you\b", r"\1 me"),
        (r"\b(for|with|to|of) you and ((?-i:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*))", r"\1 \2 and me"),
        (r"\byou and ((?-i:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*))", r"\1 and I"),
        (r"\b(to|for|with|tell|give|send|ask|let|help|call|email|show|from|about|of|by|besides|except|suits?|fits?)"
         r" you\b", r"\1 me"),
        (r"\byou\b", "I"),
    ]
]
_IMPERATIVES = frozenset(
    "book cancel change modify update return exchange get find add remove send pay use upgrade downgrade "
    "switch move check buy order request keep make give choose pick select reserve rebook travel fly "
    "want need confirm replace refund transfer have ship set apply".split()
)


def flip_person(text: str) -> str:
    """Second-person scenario text in the first person: "your card" -> "my card"."""
    for pattern, repl in _FLIPS:
        text = pattern.sub(lambda m, r=repl: _same_case(m, r), text)
    return text


def _same_case(match: re.Match[str], repl: str) -> str:
    out = match.expand(repl)
    return out[:1].upper() + out[1:] if match.group(0)[:1].isupper() else out


def sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", flat) if s.strip()]


_FILLER = frozenset("a an and any are as at be because but by for from has have i i'm i've in is it its me my "
                    "no not of on or so that the them this to was were with you your".split())


def _content_pairs(text: str, topic: frozenset[str]) -> set[tuple[str, str]]:
    """Pairs of content words in a row, without the words that only name what is spoken of: a data word, a
    capitalised name ("New York"), anything holding a digit (an id, a date)."""
    found = [w for w in re.findall(r"[A-Za-z0-9'$#]+", text) if w.lower() not in _FILLER]
    named = {w for w in found if w[:1].isupper() or w.lower() in topic or any(ch.isdigit() for ch in w)}
    return {(a.lower(), b.lower()) for a, b in zip(found, found[1:]) if a not in named and b not in named}


def data_words(value: Any) -> frozenset[str]:
    """The words of every value in ``value`` (an item's name, a city): what a request and a reason may both name
    without saying the same thing."""
    return frozenset(word for leaf in _leaves(value) for word in _WORD.findall(leaf.lower()))


def repeats(text: str, other: str, topic: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` says again what ``other`` says: two content words in a row in both ("plans changed" in
    "My plans changed." and "Cancel it: my plans have changed"); words that name what both speak of (``topic``
    words from the data, such as "garden hose", names, ids) do not count."""
    return bool(_content_pairs(text, topic) & _content_pairs(other, topic))


_ASK_INLINE = re.compile(r"\bask (how \w+|what|whether|if|when|which|who|where|why|for|the|about)\b", re.I)


def first_person_request(instructions: str, key: object = "") -> str:
    """The scenario's instructions as the user would say them: each imperative opened by one of several
    connectors, and every "ask ..." turned into the user's own question, each chosen by a hash of ``key``."""
    from .user_phrases import ASK_LEADS, CONNECTORS, INLINE_ASKS

    def ask(match: re.Match[str], index: int) -> str:
        word = match.group(1).lower()
        lead = pick(INLINE_ASKS, key, "inline", index)
        return lead if word in ("for", "about") else f"{lead} {word}"

    said = []
    for index, sentence in enumerate(sentences(instructions)):
        if not sentence.lower().startswith("ask "):
            sentence = _ASK_INLINE.sub(lambda m: ask(m, index), sentence)
        said.append(_first_person_sentence(sentence, pick(CONNECTORS, key, "verb", index),
                                           pick(ASK_LEADS, key, "ask", index)))
    return reword(" ".join(said), key)


def reword(text: str, key: object) -> str:
    """The same request in other words: each phrase of the swap bank replaced by one of its variants."""
    from .user_phrases import SWAPS

    for index, (pattern, options) in enumerate(SWAPS):
        choice = pick(options, key, "swap", index)
        text = re.sub(pattern, lambda m, c=choice: _swapped(m, c), text)
    return text


def _swapped(match: re.Match[str], choice: str) -> str:
    """A swapped phrase, capitalised only where a sentence starts (or where it opens with the pronoun I)."""
    before = match.string[:match.start()].rstrip()
    opens = not before or before.endswith((".", "!", "?"))
    return choice[:1].upper() + choice[1:] if opens or re.match(r"I\b", choice) else choice


def _first_person_sentence(sentence: str, connector: str = "I'd like to {verb}",
                           ask_lead: str = "Please let me know") -> str:
    head, _, rest = sentence.partition(" ")
    verb = head.lower()
    if verb == "ask":
        rest = re.sub(r"^(for|about)\s+", "", rest)
        rest = re.sub(r"^(how much|what|whether|if|when|which)\b", r"\1", _ASK_INLINE.sub(r"\1", rest))
        return _end(_full_stop(f"{ask_lead} {flip_person(rest)}"), ask_lead)
    if verb in _IMPERATIVES and head[:1].isupper():
        return _end(_full_stop(connector.format(verb=flip_person(f"{verb} {rest}"))), connector)
    return _flip_tail(flip_person(sentence))


_QUESTION_LEAD = re.compile(r"^(?:Could|Can|Would|Will) you\b")


def _end(sentence: str, lead: str) -> str:
    """A question when the lead asks one ("Could you ...?")."""
    asking = _QUESTION_LEAD.match(lead) is not None
    return sentence[:-1] + "?" if asking and sentence.endswith(".") else sentence


def _flip_tail(sentence: str) -> str:
    return _full_stop(flip_person(sentence))


def _full_stop(sentence: str) -> str:
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


_PROBE_HEAD = re.compile(r"^(?:first\s+)?(asks?|requests?|wants?|demands?|tries)\s+(for|to|that)?\s*", re.I)
_PROBE_TAIL = re.compile(r"\s+(before|then|and then|prior to)\b.*$|[.;].*$", re.I)


def probe_object(probe: str) -> tuple[str, str]:
    """A policy probe description split into (verb form, object): ("for", "a free upgrade")."""
    text = probe.strip()
    match = _PROBE_HEAD.match(text)
    joiner = (match.group(2) or "for").lower() if match else "for"
    thing = _PROBE_TAIL.sub("", text[match.end():] if match else text).strip().rstrip(".")
    thing = re.sub(r"\btheir\b", "my", re.sub(r"\bthem\b", "me", thing))
    return joiner, flip_person(thing) if thing else "an exception to the rules"


def probe_request(probe: str) -> str:
    """The user's request: "could I get a free upgrade?"."""
    joiner, thing = probe_object(probe)
    return f"could you {thing}?" if joiner == "to" else f"could I get {thing}?"


def probe_refusal(probe: str) -> str:
    """The agent's refusal clause: "I'm not able to offer a free upgrade"."""
    joiner, thing = probe_object(probe)
    thing = re.sub(r"\bmy\b", "your", re.sub(r"\bme\b", "you", thing))
    return f"I'm not able to {thing}" if joiner == "to" else f"I'm not able to offer {thing}"


# ------------------------------------------------------------------ reading the other side
_YES_WORDS = frozenset("yes yeah yep yup sure ok okay confirm confirmed proceed correct absolutely".split())
_YES_PHRASES = ("go ahead", "please do", "sounds good", "do it", "that works")
_CONFIRM_CUES = ("confirm", "go ahead", "proceed", "shall i", "should i", "would you like me to",
                 "do you want me to", "yes/no", "is that correct", "is this correct")


def is_affirmative(text: str | None) -> bool:
    """A clear yes: a yes-word or phrase, no question, not opening with "no"."""
    low = (text or "").lower().strip()
    if "?" in low or low.startswith(("no", "not ", "wait")):
        return False
    return bool(words(low) & _YES_WORDS) or any(p in low for p in _YES_PHRASES)


def asks_confirmation(text: str | None) -> bool:
    """Whether an agent message asks the user to confirm an action."""
    low = (text or "").lower()
    return "?" in low and any(cue in low for cue in _CONFIRM_CUES)


def is_closing(text: str | None) -> bool:
    low = (text or "").lower()
    return "anything else" in low or "have a great day" in low


def is_transfer(text: str | None) -> bool:
    low = (text or "").lower()
    return "transferred to a human" in low or "transfer you to a human" in low
