"""Mentions → canonical entities: gazetteer ids, aliases a text defines, definite descriptions,
pronouns, and new entities typed from their NER class and named by their fullest mention.

The same real thing gets the same key (and so the same IRI) across runs and documents: known
entities key on their gazetteer or pattern id; others on their class and normalised label,
with generic institution names ("Ministry of Health", "Police") scoped to the document's
jurisdiction so that two countries' ministries never merge.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from . import resources
from .documents import Document
from .keys import head_of, slug, word_set, words_of
from .nlp import VALUE_LABELS, entity_table
from .records import ORG_CLASSES, Entity
from .voice import source_jurisdiction, title_author, title_authors

# "(hereinafter referred to as the report)", "(“the Report”)", "(LD)", "(hereinafter “the Committee”)"
DEFINED_ALIAS = re.compile(
    r"^\s*\(\s*(?:hereinafter\s+(?:referred\s+to\s+as|called|known\s+as)?\s*)?[“\"‘']?"
    r"(?:the\s+)?(?P<alias>[^()“”\"‘’']{1,60}?)[”\"’']?\s*\)", re.I)
ACRONYM_INSIDE = re.compile(r"\(\s*([A-Z][A-Za-z&.-]{1,10})\s*\)$")
PRONOUNS = {"it": "thing", "its": "thing", "they": "thing", "their": "thing", "this": "thing",
            "he": "person", "she": "person", "his": "person", "her": "person",
            "we": "self", "our": "self", "us": "self", "ours": "self"}
PERSON_NOUNS = {"man", "woman", "person", "suspect", "defendant", "offender", "boy", "girl", "individual",
                "national", "citizen", "resident", "teenager", "youth"}
NOT_ANTECEDENT = {"Tier", "Topic", "Person", "Place", "Claim", "Concept"}
NAMED_LATER = {"Plan", "Committee", "Report", "Law", "Agreement", "Decision"}
DETERMINERS = {"the", "this", "that", "these", "those", "said", "such", "its", "their", "our"}


class Resolver:
    """Resolve entity tokens and noun phrases of one parsed document to entities."""

    def __init__(self, doc: Doc, document: Document) -> None:
        self.doc = doc
        self.document = document
        self.entities: dict[str, Entity] = {}
        self._by_token: dict[int, Entity] = {}
        self._history: list[tuple[int, Entity]] = []     # (char offset, entity) in text order
        self._mentions: dict[str, list[int]] = {}         # entity key → its mention offsets, in order
        self._latest: dict[str, Entity] = {}
        self._aliases: dict[str, str] = {}                # defined alias (lower) → key
        self._known = resources.gazetteer_by_id()
        self._table = entity_table(doc)
        self.report: Entity | None = None        # set once the mentions are read
        self.publisher: Entity | None = None
        self.jurisdiction = self._main_jurisdiction()
        self._individuals: dict[str, Entity] = {}    # "man" → the man "a man, 31" introduced
        self.holders: dict[int, tuple[Entity, Entity | None]] = {}   # post token → (person, organisation)
        self.post_holder: dict[str, Entity] = {}                       # post key → its holder
        self.voice: Entity | None = None            # who "we" is outside quotations (set by kg/extract.py)
        self.parties: list[Entity] = []              # the two sides of the last meeting (kg/extraction/parties.py)
        self.quoted: dict[int, Entity] = {}         # token → who speaks it, in this sentence
        self._sentence_starts: list[int] | None = None
        self._heads: dict[str, dict[str, None]] = {}      # head word → keys (describe's index)
        self._order: dict[str, int] = {}                  # key → its place in _mentions
        self._parented: dict[str, int] = {}               # key of a known body's part → first mention
        self._read_mentions()
        self._link_posts()
        self.publisher = self._publisher()
        self.report = self._main_report()

    # -- building -------------------------------------------------------------------------
    def _info(self, token: Token) -> tuple[str | None, str, str, str | None] | None:
        return self._table.get((token.idx, token.idx + len(token.text)))

    def _main_jurisdiction(self) -> Entity | None:
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for token in self.doc:
            info = self._info(token)
            if not info or not info[0]:
                continue
            key = info[0]
            if info[1] in ("Government", "GovernmentBody"):     # "the Government of Malaysia" speaks of Malaysia
                parent = self._known[key].part_of if key in self._known else None
                key = parent if parent in self._known and self._known[parent].cls == "Jurisdiction" else None
            elif info[1] != "Jurisdiction":
                key = None
            if key:
                counts[key] += 1
                first.setdefault(key, token.idx)
        official = source_jurisdiction(self.document.meta.get("source", ""))
        if official in self._known:
            return self.known(official)      # a statement on a country's government site is that country's
        for hint in (self.document.place, self.document.publisher):
            for key in counts:
                ent = self._known[key]
                if hint and any(a.lower() in hint.lower() for a in (ent.label, *ent.aliases) if len(a) > 3):
                    return self.known(key)
        titled = self._titled_jurisdiction()
        if titled is not None:
            return titled       # "Statement by the Ministry of Foreign Affairs of China"
        if not counts:
            return None
        key = min(counts, key=lambda k: (-counts[k], first[k]))
        return self.known(key)

    def _titled_jurisdiction(self) -> Entity | None:
        """The jurisdiction named in the author a title gives ("Statement by the Ministry of
        Foreign Affairs of China", "China's Ministry of Commerce responds …"), by whole words."""
        authors = title_authors(self.document.title or "")
        found: list[tuple[int, str]] = []
        for ent in resources.gazetteer():
            if ent.cls != "Jurisdiction" or ent.id not in self._known or not authors:
                continue
            for name in (n for n in (ent.label, *ent.aliases) if len(n) > 3):
                m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", authors[0])
                if m:
                    found.append((m.start(), ent.id))
        return self.known(min(found)[1]) if found else None

    def known(self, key: str) -> Entity:
        ent = self._known[key]
        return self._add(Entity(key, ent.cls, ent.label, ent.aliases, ent.part_of, known=True))

    def _add(self, ent: Entity) -> Entity:
        old = self.entities.get(ent.key)
        if old is None or (not old.known and len(ent.label) > len(old.label)):
            self.entities[ent.key] = ent
            return ent
        return old

    def _read_mentions(self) -> None:
        text = self.doc.text
        for token in self.doc:
            info = self._info(token)
            if info is None:
                continue
            ent = self._mention(token, info)
            if ent is None:
                continue
            self._by_token[token.i] = ent
            self._history.append((token.idx, ent))
            self._mentions.setdefault(ent.key, []).append(token.idx)
            self._latest[ent.key] = ent
            self._note(ent)
            after = token.idx + len(token.text)
            m = DEFINED_ALIAS.match(text[after:after + 90])   # not text[after:]: a copy of the rest per name
            if m and ent.cls not in ("Tier",):
                self._aliases[m.group("alias").strip().lower()] = ent.key
            inside = ACRONYM_INSIDE.search(token.text)     # "Judiciary Police (PJ)" merged as one token
            if inside:
                self._aliases[inside.group(1).lower()] = ent.key

    def title(self, token: Token) -> str | None:
        """The title written after a law or report ("Law No. 6/2008 “Combat the Crime …”")."""
        info = self._info(token)
        return info[3] if info else None

    def _link_posts(self) -> None:
        """A post and who holds it: "Spokesperson of the Ministry … Le Thi Thu Hang",
        "the Chief Secretary for Administration, Mr Matthew Cheung", "Spokesperson Hang"."""
        honorifics = resources.word_set("honorific")
        for i, post in sorted(self._by_token.items()):      # the mentions only, not every token
            if post.cls != "Post":
                continue
            token = self.doc[i]
            org = None
            for nxt in self.doc[token.i + 1:token.i + 8]:
                ent = self._by_token.get(nxt.i)
                if nxt.pos_ in ("VERB", "AUX") or nxt.is_sent_start:
                    break
                if ent is not None and ent.cls == "Person":
                    self.holders[token.i] = (ent, org)
                    self.post_holder[post.key] = ent
                    break
                if ent is not None and ent.cls in ("Organization", "GovernmentBody", "Government", "Committee"):
                    org = org or ent
                elif not (nxt.is_punct or nxt.lower_.rstrip(".") in honorifics or nxt.lower_ in ("of", "for", "the")):
                    break

    def _mention(self, token: Token, info: tuple[str | None, str, str, str | None]) -> Entity | None:
        ent_id, cls, label, _ = info
        if cls in VALUE_LABELS:
            return None
        if ent_id and ent_id in self._known:
            return self.known(ent_id)
        if ent_id:
            return self._add(Entity(ent_id, cls, label, known=True))
        alias_key = self._aliases.get(token.text.lower().removeprefix("the "))
        if alias_key:
            return self.entities.get(alias_key)
        words = words_of(label)
        if cls == "Person":    # "Hang" after "Le Thi Thu Hang", "Cheung" after "Matthew Cheung Kin-chung"
            fuller = [e for _, e in self._history if e.cls == "Person" and len(e.label) > len(label)
                      and set(words) <= set(words_of(e.label))]
            if fuller:
                return fuller[-1]
        if len(words) == 1 and words[0] in (resources.word_set("org_head") | resources.word_set("report_head")
                                            | resources.word_set("post_title")):
            found = self.describe(words, token.idx)
            if found:
                return found
        before = token.doc[token.i - 1].lower_ if token.i > 0 else ""
        if before in ("the", "this", "that") and len(words) <= 3:
            # "the Action Plan" after "the Action Plan to Tackle TIP …": a short form of a longer name
            longer = [e for e in self.entities.values() if e.cls == cls and len(e.label) > len(label)
                      and set(words) <= set(words_of(e.label)) and not e.known]
            if len(longer) == 1:
                return longer[0]
            found = self.describe(words, token.idx) if len(words) == 1 else None   # "the SAR" → Macao SAR
            if found is not None and found.cls != "Post":
                return found
        return self._new(label, cls)

    def _new(self, label: str, cls: str) -> Entity:
        label = re.sub(r"\s+", " ", label).strip()
        ws = set(words_of(label))
        if (cls == "Organization" and ws & resources.word_set("scoped_head") or cls == "Post") and self.jurisdiction:
            names = {w for a in (self.jurisdiction.label, *self.jurisdiction.aliases) for w in words_of(a)
                     if w not in STOP_WORDS}
            if not ws & names:
                label = f"{label} ({self.jurisdiction.label})"
        key = f"{cls.lower()}/{slug(label)}"
        return self._add(Entity(key, cls, label))

    def new_entity(self, label: str, cls: str) -> Entity:
        """An entity the text names but no component recognised (a ranked area the gazetteer lacks)."""
        return self._new(label, cls)

    def _publisher(self) -> Entity | None:
        name = self.document.publisher
        if not name:
            return self._title_author()
        for ent in resources.gazetteer():
            if name.lower() in {a.lower() for a in (ent.label, *ent.aliases)}:
                return self.known(ent.id)
        words = word_set(name)    # "Ministry of … of Cambodia" naming the body's "… of the Kingdom of Cambodia"
        fuller = [e for _, e in self._history if e.cls in ORG_CLASSES and words < word_set(e.label)]
        return fuller[0] if fuller else self._new(name, "Organization")

    def _title_author(self) -> Entity | None:
        """Whose statement the title (or the opening line) says it is (kg/voice.py)."""
        bodies = [e for _, e in self._history]
        opening = self.document.text.lstrip().split("\n", 1)[0][:200]
        return title_author([self.document.title or "", opening], bodies)

    def _main_report(self) -> Entity | None:
        """The report a statement is about: named in its title, else its most mentioned report."""
        title = self.document.title or ""
        for pat in resources.patterns():
            if pat.cls != "Report":
                continue
            m = pat.regex.search(title)
            if m and m.groupdict().get("year"):
                return self._add(Entity(pat.id_template.format(**m.groupdict()), pat.cls,
                                        pat.label_template.format(**m.groupdict()), known=True))
        reports = Counter(e.key for _, e in self._history if e.cls == "Report")
        if not reports:
            return None
        key = reports.most_common(1)[0][0]
        if key == "tip-report":
            return self._dated_report() or self.entities[key]
        return self.entities[key]

    def _dated_report(self) -> Entity | None:
        """"the TIP Report" in a statement dated 2031-06-25 answers the 2031 report: reports come out
        mid-year, so a statement from January to May answers the previous year's."""
        m = re.match(r"(\d{4})(?:-(\d\d))?", self.document.date or "")
        pat = next((p for p in resources.patterns() if p.cls == "Report" and "{year}" in p.id_template), None)
        if not m or pat is None:
            return None
        year = int(m.group(1)) - (1 if m.group(2) and int(m.group(2)) < 6 else 0)
        return self._add(Entity(pat.id_template.format(year=year), "Report", pat.label_template.format(year=year),
                                known=True))

    # -- resolving ------------------------------------------------------------------------
    def entity(self, token: Token) -> Entity | None:
        """The entity an entity token (merged by spaCy) stands for."""
        return self._yearless(self._by_token.get(token.i))

    def _yearless(self, ent: Entity | None) -> Entity | None:
        """A year-less "TIP Report" is the statement's report."""
        return self.report if ent is not None and ent.key == "tip-report" and self.report is not None else ent

    def describe(self, words: list[str], before: int) -> Entity | None:
        """A definite description ("the report", "the Committee") → the last entity it fits."""
        skip = resources.word_set("definite_skip")
        need = {w for w in words if w not in skip and w not in DETERMINERS}
        if not need:
            return None
        head = words[-1]

        def fits(e: Entity) -> bool:
            # every word of the description is in the name, and its head noun names the same kind
            # of thing ("the protection" never means the "Action Plan to … Enhance Protection")
            names = [e.label, *e.aliases]
            return e.cls not in ("Claim", "Concept") and any(
                need <= word_set(n) and head_of(n) in (head, head.rstrip("s")) for n in names)
        # each distinct entity once, with its last mention before the description (linear, not
        # quadratic, in the length of a document)
        last_before: list[tuple[int, str]] = []
        first_after: list[tuple[int, str]] = []
        for key in self._headed(head):
            positions = self._mentions[key]
            i = bisect_left(positions, before)
            if i and fits(self._latest[key]):
                last_before.append((positions[i - 1], key))
            elif i < len(positions) and not i and fits(self._latest[key]):
                first_after.append((positions[i], key))
        if last_before:
            # a name in the description's own sentence first ("A spokesman for the Labour Department
            # said that the department …"), then a known or repeated name before a guessed one seen
            # once ("the Taskforce"), then the latest
            opens = self._sentence_start(before)
            _, key = max(last_before, key=lambda c: (c[0] >= opens, self._latest[c[1]].known or len(self._mentions[c[1]]) > 1, c[0]))
            return self._yearless(self._latest[key])
        if need & resources.word_set("report_head") and len(need) == 1 and self.report is not None:
            return self.report
        # "the SAR" after "the Macao SAR Government": the place an earlier body belongs to
        parents = sorted((first, self._latest[key].part_of) for key, first in self._parented.items()
                         if first < before and self._latest[key].part_of in self._known)
        for parent_id in reversed([p for _, p in parents] + ([self.jurisdiction.key] if self.jurisdiction else [])):
            parent = self._known[parent_id]
            if fits(Entity(parent.id, parent.cls, parent.label, parent.aliases, parent.part_of, True)):
                return self.known(parent.id)
        if first_after:
            return self._yearless(self._latest[min(first_after)[1]])
        if len(need) == 1 and (kind := self._kind(head, before)) is not None:
            return kind
        return self._scoped_generic(need)

    def _kind(self, head: str, before: int) -> Entity | None:
        """"this law", "the agreement", "the treaty": a bare description by a class noun (words.tsv
        ``kind_noun``) → the last entity of that class named before it."""
        kinds = resources.word_map("kind_noun")
        cls = (kinds.get(head) or kinds.get(head.rstrip("s")) or "").capitalize()
        return self.latest({cls}, before) if cls else None

    def named(self, name: str) -> Entity | None:
        """The entity of the statement with this name or alias (case-insensitive), if any."""
        low = name.lower().strip()
        key = self._aliases.get(low)
        if key in self.entities:
            return self.entities[key]
        return next((e for e in self.entities.values() if low in {a.lower() for a in (e.label, *e.aliases)}), None)

    def latest(self, classes: set[str], before: int) -> Entity | None:
        """The entity of one of ``classes`` mentioned last before character ``before``."""
        found: tuple[int, str] | None = None
        for key in (k for cls in classes for k in self._heads.get(f"<{cls}>", {})):
            positions = self._mentions[key]
            i = bisect_left(positions, before)
            if i and (found is None or positions[i - 1] > found[0]):
                found = (positions[i - 1], key)
        return self._yearless(self._latest[found[1]]) if found else None

    def _headed(self, head: str) -> list[str]:
        """The entities (in mention order) one of whose names has had this head word (or its
        singular): the only ones a description with that head can fit (``fits`` still decides).
        Looked up, not scanned, so resolving stays linear in a document's length."""
        found = self._heads.get(head, {}) | (self._heads.get(head.rstrip("s"), {}) if head.rstrip("s") != head else {})
        return sorted(found, key=self._order.__getitem__)

    def _note(self, ent: Entity) -> None:
        """Index a mention's entity under its names' head words (a superset: names only grow)."""
        self._order.setdefault(ent.key, len(self._order))
        for name in [ent.label, *ent.aliases]:
            self._heads.setdefault(head_of(name), {})[ent.key] = None
        self._heads.setdefault(f"<{ent.cls}>", {})[ent.key] = None     # for "this law" (``_kind``)
        if ent.part_of in self._known and ent.key not in self._parented:
            self._parented[ent.key] = self._mentions[ent.key][0]

    def _sentence_start(self, char: int) -> int:
        """Where the sentence holding character ``char`` starts."""
        if self._sentence_starts is None:
            self._sentence_starts = [sent.start_char for sent in self.doc.sents]
        i = bisect_right(self._sentence_starts, char)
        return self._sentence_starts[i - 1] if i else 0

    def government(self) -> Entity | None:
        """The statement's jurisdiction's government (a gazetteer row part of it), if known."""
        return self._scoped_generic({"government"}) if self.jurisdiction else None

    def _scoped_generic(self, need: set[str]) -> Entity | None:
        """"the Government", "the Police" with no antecedent: the jurisdiction's own body."""
        if not self.jurisdiction or not need & resources.word_set("scoped_head"):
            return None
        for ent in resources.gazetteer():
            if ent.part_of == self.jurisdiction.key and need <= set(words_of(ent.label)):
                return self.known(ent.id)
        if len(need) != 1:
            return None
        return self._new(next(iter(need)).title(), "Organization")

    def _named_later(self, token: Token) -> Entity | None:
        """"a comprehensive action plan" … "the Action Plan to Tackle TIP": a common-noun mention
        of a plan, committee, report or law the text names elsewhere is that entity."""
        heads = (resources.word_set("org_head") | resources.word_set("plan_head") | resources.word_set("law_head")
                 | resources.word_set("report_head"))
        if token.lower_ not in heads:
            return None
        need = {token.lemma_.lower()} | {c.lower_ for c in token.lefts if c.dep_ == "compound"}
        fits = [e for e in self._latest.values() if e.cls in NAMED_LATER and need <= set(words_of(e.label))
                and words_of(e.label)[:len(need)] == [w for w in words_of(e.label) if w in need][:len(need)]]
        return fits[0] if len({e.key for e in fits}) == 1 else None

    def speaker(self, token: Token) -> Entity | None:
        """Who speaks through a subject: "said Spokesperson … Le Thi Thu Hang" is the person; "the
        Spokesperson said" later is the same person; other subjects are themselves."""
        ent = self.noun(token)
        if ent is None or ent.cls != "Post":
            return ent
        holder = self.holders.get(token.i)
        return holder[0] if holder else self.post_holder.get(ent.key, ent)

    def speaks_for(self, token: Token) -> Entity | None:
        """"A spokesman for the HKSAR Government" speaks for the government: its words are the
        government's. Later "the spokesman" is the same voice."""
        if token.lower_ not in resources.word_set("spokesperson_title") and token.lemma_.lower() not in \
                resources.word_set("spokesperson_title"):
            return None
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("for", "of")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                org = self.noun(pobj)
                if org is not None and org.cls in ORG_CLASSES:
                    self.spokesman = (token.lemma_.lower(), org)
                    return org
        for mod in (c for c in token.children if c.dep_ in ("compound", "amod", "nmod")):
            # "a Government spokesman", "a Security Bureau spokesperson"
            org = self.describe([mod.lower_], mod.idx) or self.noun(mod)
            if org is not None and org.cls in ORG_CLASSES:
                self.spokesman = (token.lemma_.lower(), org)
                return org
        if getattr(self, "spokesman", None) and self.spokesman[0] == token.lemma_.lower():
            return self.spokesman[1]
        return None

    def _person(self, token: Token) -> Entity | None:
        """he/she/his/her → the person the sentence is about when its main subject, before the
        pronoun, is one ("The man said he …"); else the last person named — never the one whose
        quoted words these are (a speaker says "I", not "he")."""
        sent = token.sent
        for tok in self.doc[sent.start:token.i]:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT" and tok.pos_ != "PRON":
                ent = self.noun(tok, pronouns=False)
                if ent is not None and (ent.cls == "Person" or tok.lemma_.lower() in PERSON_NOUNS):
                    return ent
        quoted = self.quoted.get(token.i)
        people = [e for pos, e in self._history if pos < token.idx and e.cls == "Person"
                  and (quoted is None or e.key != quoted.key)]
        return people[-1] if people else None

    def pronoun(self, token: Token) -> Entity | None:
        """it/its → the main subject before it in its sentence, else the subject of the previous
        sentence; she/he → the last person named; we/our →
        the speaker quoted (a person's organisation), else the statement's voice."""
        kind = PRONOUNS.get(token.lower_)
        if kind == "self":         # "we": who speaks the words, else the statement's voice
            who = self.quoted.get(token.i)
            if who is not None and who.cls == "Person":
                who = next((org for person, org in self.holders.values() if person.key == who.key and org), None)
            if who is None and token.i not in self.quoted:
                who = self.voice or self.jurisdiction    # a statement that never names its author: its country
            return who
        if kind == "person":
            return self._person(token)
        if kind != "thing" or token.lower_ == "this" and token.dep_ not in ("nsubj", "nsubjpass"):
            return None    # "China opposes this": the matter just said, not the last subject
        sent = token.sent
        clause = next((t for t in [token, *token.ancestors] if t.pos_ in ("VERB", "AUX")), None)
        while clause is not None and clause.head.pos_ in ("VERB", "AUX") and (clause.dep_ in ("conj", "xcomp") or (
                clause.dep_ == "ccomp" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children))):
            clause = clause.head      # "refuses to accept and disagrees with it": the same subject's clause
        own = clause is None or clause.dep_ == "ROOT"    # never its own clause's subject ("X disagrees with it")
        own = own or token.dep_ in ("dobj", "pobj")      # an object "it" is the matter spoken of, not the speaker
        for tok in [] if own else self.doc[sent.start:token.i]:   # "The Ministry trained officers when it launched …"
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT" and tok.pos_ != "PRON":
                ent = self.noun(tok, pronouns=False)
                if ent is not None and ent.cls not in NOT_ANTECEDENT:
                    return ent
        if sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        for tok in prev:
            if tok.dep_ in ("nsubj", "nsubjpass"):
                ent = self.noun(_undergoer(tok), pronouns=False)
                if ent is not None and ent.cls not in NOT_ANTECEDENT:
                    return ent
        return None

    def noun(self, token: Token, phrase: str | None = None, pronouns: bool = True) -> Entity | None:
        """Entity for the head of a noun phrase: an entity, a pronoun, a definite description,
        or else a concept named by the phrase itself."""
        ent = self.entity(token)
        speaks_for = self.speaks_for(token) if token.i not in self.holders else None
        if speaks_for is not None:
            return speaks_for
        if ent is not None:
            return ent
        if token.pos_ == "PRON":
            return self.pronoun(token) if pronouns else None
        det = [c.lower_ for c in token.lefts if c.dep_ in ("det", "poss")]
        introduced = self._individual(token, det)
        if introduced is not None:
            return introduced
        if token.pos_ in ("NOUN", "PROPN") and (det and det[0] in DETERMINERS or token.text[:1].isupper()):
            mods = [c.lower_ for c in token.lefts if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "PROPN", "ADJ")]
            found = self.describe(mods + [token.lemma_.lower(), token.lower_][-1:], token.idx)
            if found is not None and (det or token.text[:1].isupper()):
                return found
        if token.pos_ not in ("NOUN", "PROPN", "NUM", "X") or not phrase:
            return None
        alias_key = self._aliases.get(phrase.lower().removeprefix("the "))
        if alias_key:
            return self.entities[alias_key]
        named = self._named_later(token)
        if named is not None:
            return named
        return self.concept(phrase)

    def _individual(self, token: Token, det: list[str]) -> Entity | None:
        """"A man, 31, …" introduces one person, named by the noun and age; "the man" later in
        the statement is that person (a bare definite noun: "the man", never "the other man")."""
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" or lemma not in resources.word_set("individual_noun") or not det:
            return None
        mods = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nummod")]   # "a young man, 19"
        if det[0] in ("a", "an"):
            age = next((c for c in token.children if c.dep_ in ("appos", "nummod") and c.i > token.i
                        and c.like_num and not list(c.children)), None)
            if age is None:
                return None
            ent = self.concept(f"{' '.join([*(m.lower_ for m in mods), token.lower_])}, {age.text}")
            self._individuals[lemma] = ent
            return ent
        if det[0] in ("the", "this") and not mods:
            return self._individuals.get(lemma)
        return None

    def concept(self, label: str) -> Entity:
        """A thing named by a phrase only ("dedicated hotline"): keyed by its words."""
        return self._add(Entity(f"concept/{slug(label)}", "Concept", label))


def _undergoer(token: Token) -> Token:
    """"The enactment of this law is a milestone. It includes …": an eventive noun's "of" object
    (words.tsv ``action_noun``) is what a later "it" is about; any other noun is itself."""
    if token.lemma_.lower() not in resources.word_map("action_noun"):
        return token
    return next((p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                 for p in c.children if p.dep_ == "pobj"), token)


def shared_object(pronoun: Token) -> Token | None:
    """An object "it"/"them" of a conjunct verb is the object of the verb it is coordinated with
    ("developed the procedures but did not finalize them"), when the number agrees."""
    verb = pronoun.head
    if pronoun.dep_ not in ("dobj", "obj") or verb.dep_ != "conj" or verb.head.pos_ != "VERB":
        return None
    plural = pronoun.lower_ == "them"
    for obj in (c for c in verb.head.children if c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN")):
        if (obj.tag_ in ("NNS", "NNPS")) == plural:
            return obj
    return None
